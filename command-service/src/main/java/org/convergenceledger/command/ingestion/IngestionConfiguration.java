package org.convergenceledger.command.ingestion;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.convergenceledger.command.access.BrokerLogins;
import org.convergenceledger.command.system.CommandDispatch;
import org.convergenceledger.command.system.KafkaClients;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;

/**
 * Agency systems that live on Kafka send commands on their own topic, ledger.commands.&lt;AGENCY&gt;: one message per
 * command, keyed by activity id. The broker lets only the agency's own principal write that topic
 * ({@link BrokerLogins}), so the topic names the sender: no API key travels in a record, and none stays in the
 * topic. The messages are consumed by spring-kafka's listener container, subscribed by pattern (a newly registered
 * agency's topic is picked up within seconds), with the service's own login ({@link KafkaClients}, not Boot's
 * spring.kafka.* settings); {@link CommandBatchListener} handles each poll, {@link IngestionErrorHandler} decides
 * what is retried, {@link DeadLetters} copies what the ledger refuses to ledger.commands.dlt. Switched off by
 * ledger.ingestion.enabled=false.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "ledger.ingestion.enabled", havingValue = "true", matchIfMissing = true)
class IngestionConfiguration {

    // Agency codes are capitals, digits and _: the dead-letter topic (lower case) is not among them.
    private static Pattern agencyTopics(String topicPrefix) {
        return Pattern.compile(Pattern.quote(topicPrefix) + "[A-Z][A-Z0-9_]{1,31}");
    }

    @Bean
    IngestionTopics ingestionTopics(KafkaClients kafka, IngestionProperties properties) {
        return new IngestionTopics(kafka, properties);
    }

    /** A bean so that its producer is closed with the application, after the container has stopped. */
    @Bean
    DefaultKafkaProducerFactory<String, byte[]> ingestionProducers(KafkaClients kafka) {
        Map<String, Object> config = map(kafka.config("ledger-command-results"));
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        // An unreachable broker shows within 30 s as a failed send, which pauses the batch.
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        return new DefaultKafkaProducerFactory<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    @Bean
    ConcurrentMessageListenerContainer<String, byte[]> commandIngestion(
            IngestionProperties properties, KafkaClients kafka, IngestionTopics topics,
            DefaultKafkaProducerFactory<String, byte[]> ingestionProducers, BrokerLogins logins,
            CommandDispatch dispatch, JdbcTemplate jdbc, ObjectMapper json, IngestionMeters meters) {
        KafkaTemplate<String, byte[]> producer = new KafkaTemplate<>(ingestionProducers);
        OutcomePublisher outcomes = new OutcomePublisher(producer,
                new DeadLetters(producer, properties.deadLetterTopic()), topics, properties.resultsTopic(), json,
                meters);
        CommandBatchListener listener = new CommandBatchListener(
                new AgencyCommands(properties.topicPrefix(), logins, dispatch, json), new GlobalSequences(jdbc),
                outcomes, meters);

        ContainerProperties container = new ContainerProperties(agencyTopics(properties.topicPrefix()));
        container.setMessageListener(listener);
        // Offsets are committed once the listener returned, that is once every outcome of the poll is acknowledged.
        container.setAckMode(ContainerProperties.AckMode.BATCH);
        container.setPollTimeout(500);
        // A batch being handled finishes before the service stops (its commands are already in the group commit).
        container.setShutdownTimeout(30_000);
        // The container would otherwise stop for good on an authentication or authorization failure.
        container.setAuthExceptionRetryInterval(properties.retryBackoff());

        ConcurrentMessageListenerContainer<String, byte[]> ingestion =
                new ConcurrentMessageListenerContainer<>(consumers(kafka, properties), container);
        // One consumer: each poll (up to 200 messages over all partitions) goes to the group commit at once, which
        // is what makes ingestion fast; on two cores the database, not the consumer, is the limit, and more consumers
        // would only split the batches. Another instance of the service shares the partitions.
        ingestion.setConcurrency(1);
        ingestion.setCommonErrorHandler(new IngestionErrorHandler(properties, outcomes));
        // Started after the rest of the application (Axon, the database, the group commit) and stopped before it.
        ingestion.setPhase(Integer.MAX_VALUE - 100);
        return ingestion;
    }

    private static DefaultKafkaConsumerFactory<String, byte[]> consumers(KafkaClients kafka,
                                                                         IngestionProperties properties) {
        Map<String, Object> config = map(kafka.config("ledger-command-ingestion"));
        config.put(ConsumerConfig.GROUP_ID_CONFIG, properties.groupId());
        // A newly registered agency's topic is picked up within seconds.
        config.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 5000);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // With several instances, one killed without leaving the group hands its partitions to the others once
        // its session expires: 10 s, not Kafka's 45 (the broker's group.min.session.timeout.ms is 6 s).
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
        return new DefaultKafkaConsumerFactory<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static Map<String, Object> map(Properties properties) {
        Map<String, Object> config = new HashMap<>();
        properties.forEach((name, value) -> config.put((String) name, value));
        return config;
    }
}
