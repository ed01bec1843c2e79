package org.convergenceledger.it;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** An agency's system on Kafka: its own login, its own topic ledger.commands.&lt;AGENCY&gt;, and the outcomes. */
final class AgencyTopics {

    private AgencyTopics() {
    }

    /** {"type": …, "command": …} as the ingestion reads it. */
    static byte[] wrapped(String type, String command) {
        return ("{\"type\": \"" + type + "\", \"command\": " + command + "}").getBytes(StandardCharsets.UTF_8);
    }

    static byte[] wrapped(String type, Map<String, Object> command) {
        try {
            return wrapped(type, Http.JSON.writeValueAsString(command));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A command on the sending agency's own topic. */
    static ProducerRecord<String, byte[]> message(String key, byte[] value, String agency, String idempotencyKey) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>("ledger.commands." + agency, key, value);
        record.headers().add("ledger-idempotency-key", idempotencyKey.getBytes(StandardCharsets.UTF_8));
        return record;
    }

    static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** A producer logged in as the agency (its initial Kafka login). */
    static KafkaProducer<String, byte[]> producer(LedgerSystem system, String agency) {
        return producer(system, system.agencyLogin(agency));
    }

    static KafkaProducer<String, byte[]> producer(LedgerSystem system, Map<String, Object> login) {
        Map<String, Object> config = new HashMap<>(login);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, system.kafka().bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 8000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 8000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    /** Sends one command as the agency and returns its outcome from ledger.command-results. */
    static JsonNode sendAndAwaitOutcome(LedgerSystem system, String agency, String activityId, String type,
                                        Map<String, Object> command) throws Exception {
        return sendAndAwaitOutcome(system, agency, activityId, type, command, Map.of());
    }

    /** The same, with more headers on the message (ledger-occurred-at, ledger-correction-reason…). */
    static JsonNode sendAndAwaitOutcome(LedgerSystem system, String agency, String activityId, String type,
                                        Map<String, Object> command, Map<String, String> headers) throws Exception {
        return Http.JSON.readTree(sendAndAwaitResult(system, agency, activityId, type, command, headers).value());
    }

    /** The same, answering the whole record from ledger.command-results, for its headers. */
    static ConsumerRecord<String, byte[]> sendAndAwaitResult(LedgerSystem system, String agency, String activityId,
                                                             String type, Map<String, Object> command,
                                                             Map<String, String> headers) throws Exception {
        String idempotencyKey = type + "-" + System.nanoTime();
        ProducerRecord<String, byte[]> record = message(activityId, wrapped(type, command), agency, idempotencyKey);
        headers.forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
        try (KafkaProducer<String, byte[]> producer = producer(system, agency)) {
            producer.send(record).get();
        }
        List<ConsumerRecord<String, byte[]>> outcome = new java.util.ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = system.kafkaConsumer()) {
            consumer.subscribe(List.of("ledger.command-results"));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, byte[]> result : consumer.poll(Duration.ofMillis(500))) {
                    if (idempotencyKey.equals(header(result, "ledger-idempotency-key"))) {
                        outcome.add(result);
                    }
                }
                return !outcome.isEmpty();
            });
        }
        return outcome.get(0);
    }
}
