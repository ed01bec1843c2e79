package org.convergenceledger.command.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.annotation.PreDestroy;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.convergenceledger.command.system.KafkaClients;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Sends signed tree heads to Kafka topic ledger.checkpoints, keyed by tree size, so that witnesses and monitors can
 * keep their own copy. {@link TreeHeads} marks a head sent only once the broker has acknowledged it and retries the
 * others at every checkpoint, oldest first: while the broker is away heads wait in tree_head, none is lost.
 */
@Component
class CheckpointPublisher {

    static final String TOPIC = "ledger.checkpoints";
    private static final Logger log = LoggerFactory.getLogger(CheckpointPublisher.class);

    private final Producer<String, byte[]> producer;
    private final ObjectMapper json;

    CheckpointPublisher(KafkaClients kafka, ObjectMapper json) {
        Properties config = kafka.config("ledger-checkpoints");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // Never hold the scheduler for long when the broker is away.
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        this.json = json;
    }

    /** Sends one head and waits for the broker's acknowledgement; false (and logged) if it does not come. */
    boolean send(TreeHeads.TreeHead head) {
        try {
            producer.send(new ProducerRecord<>(TOPIC, Long.toString(head.treeSize()), json.writeValueAsBytes(head)))
                    .get(15, TimeUnit.SECONDS);
            return true;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return false;
        } catch (JsonProcessingException | ExecutionException | TimeoutException | RuntimeException failure) {
            log.warn("Tree head {} not yet published to {} (retried at the next checkpoint): {}", head.treeSize(),
                    TOPIC, failure.getMessage());
            return false;
        }
    }

    @PreDestroy
    void close() {
        producer.close(java.time.Duration.ofSeconds(2));
    }
}
