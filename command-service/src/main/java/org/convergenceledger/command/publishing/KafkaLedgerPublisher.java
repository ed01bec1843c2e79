package org.convergenceledger.command.publishing;

import jakarta.annotation.PreDestroy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.extensions.kafka.eventhandling.KafkaMessageConverter;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.convergenceledger.command.system.GlobalPositions;
import org.convergenceledger.command.system.KafkaClients;
import org.convergenceledger.events.LedgerMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Publishes every stored event to Kafka in store order, at least once. It is a tracking processor over the event
 * store: a batch's records are sent together and the batch's token is stored only once the broker acknowledged all
 * of them, so a broker that is down stalls publishing (and Axon retries the batch with back-off) but never skips an
 * event, and never blocks a write. A retried batch may re-send records: consumers de-duplicate on the global
 * sequence header. Each record also names the stored event before it, so consumers know when they hold a
 * complete prefix of the log although partitions interleave.
 */
@Component
@ProcessingGroup(KafkaLedgerPublisher.GROUP)
class KafkaLedgerPublisher {

    static final String GROUP = "ledger-kafka-publisher";
    private static final Logger log = LoggerFactory.getLogger(KafkaLedgerPublisher.class);
    private static final String PENDING_SENDS = KafkaLedgerPublisher.class.getName() + ".pending";

    private final PublishingProperties properties;
    private final KafkaClients kafka;
    private final KafkaMessageConverter<String, byte[]> converter;
    private final GlobalPositions globalPositions;
    private Producer<String, byte[]> producer;
    private boolean topicReady;

    KafkaLedgerPublisher(PublishingProperties properties, KafkaMessageConverter<String, byte[]> converter,
                         GlobalPositions globalPositions, KafkaClients kafka) {
        this.properties = properties;
        this.kafka = kafka;
        this.converter = converter;
        this.globalPositions = globalPositions;
    }

    @EventHandler
    void publish(Object payload, EventMessage<?> event, UnitOfWork<?> unitOfWork) {
        pendingEvents(unitOfWork).add(event);
    }

    /** The batch's events, sent together just before its token is stored, in the order the store delivered them. */
    private List<EventMessage<?>> pendingEvents(UnitOfWork<?> unitOfWork) {
        return unitOfWork.root().getOrComputeResource(PENDING_SENDS, key -> {
            List<EventMessage<?>> events = new ArrayList<>();
            unitOfWork.root().onPrepareCommit(batch -> sendAndAwait(events));
            return events;
        });
    }

    private void sendAndAwait(List<EventMessage<?>> events) {
        Map<String, GlobalPositions.Placed> positions = globalPositions.withPredecessors(events);
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        for (EventMessage<?> event : events) {
            GlobalPositions.Placed placed = positions.get(event.getIdentifier());
            ProducerRecord<String, byte[]> record = converter.createKafkaMessage(
                    event.andMetaData(Map.of(LedgerMetadata.GLOBAL_SEQUENCE, Long.toString(placed.sequence()),
                            LedgerMetadata.PREVIOUS_GLOBAL_SEQUENCE, Long.toString(placed.previous()))),
                    properties.topic());
            record.headers().add(LedgerMetadata.HEADER_GLOBAL_SEQUENCE,
                    Long.toString(placed.sequence()).getBytes(StandardCharsets.UTF_8));
            record.headers().add(LedgerMetadata.HEADER_PREVIOUS_GLOBAL_SEQUENCE,
                    Long.toString(placed.previous()).getBytes(StandardCharsets.UTF_8));
            record.headers().add(LedgerMetadata.HEADER_EVENT_ID,
                    event.getIdentifier().getBytes(StandardCharsets.UTF_8));
            Object correlationId = event.getMetaData().get(LedgerMetadata.CORRELATION_ID);
            if (correlationId != null) {
                record.headers().add(LedgerMetadata.HEADER_CORRELATION_ID,
                        correlationId.toString().getBytes(StandardCharsets.UTF_8));
            }
            sends.add(producer().send(record));
        }
        awaitAcknowledgements(sends);
    }

    private void awaitAcknowledgements(List<Future<RecordMetadata>> sends) {
        long deadline = System.nanoTime() + properties.sendTimeout().toNanos();
        try {
            for (Future<RecordMetadata> send : sends) {
                send.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException | TimeoutException failure) {
            discardProducer();
            throw new PublicationFailed("Kafka did not acknowledge a batch of " + sends.size()
                    + " events; it will be sent again from the same position", failure);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new PublicationFailed("interrupted while waiting for Kafka", interrupted);
        }
    }

    private synchronized Producer<String, byte[]> producer() {
        if (!topicReady) {
            ensureTopic();
        }
        if (producer == null) {
            producer = new KafkaProducer<>(producerConfig(), new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    /** A producer that timed out may hold half-sent batches; a fresh one starts clean when the broker returns. */
    private synchronized void discardProducer() {
        if (producer != null) {
            producer.close(Duration.ZERO);
            producer = null;
        }
    }

    private void ensureTopic() {
        try {
            kafka.createTopicsIfMissing(List.of(properties.topic()), properties.partitions(), properties.sendTimeout());
        } catch (IllegalStateException e) {
            throw new PublicationFailed(e.getMessage(), e);
        }
        topicReady = true;
    }

    private Properties producerConfig() {
        int timeout = (int) properties.sendTimeout().toMillis();
        Properties config = kafka.config("ledger-publisher");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        // Idempotence keeps the per-partition order through the producer's own retries.
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout / 2);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeout);
        return config;
    }

    @PreDestroy
    void close() {
        discardProducer();
    }

    static class PublicationFailed extends RuntimeException {
        PublicationFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
