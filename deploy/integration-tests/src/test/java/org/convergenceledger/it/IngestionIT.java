package org.convergenceledger.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Agency systems sending commands on ledger.commands, against the real broker: a burst of good, malformed,
 * unauthorized and duplicate messages, with the command service stopped and started again in the middle. Every
 * message must end either applied exactly once or in the dead-letter topic with its reason, with an outcome on
 * ledger.command-results.
 */
class IngestionIT {

    private static LedgerSystem system;

    @BeforeAll
    static void startTheLedger() {
        system = LedgerSystem.get();
        Ledger.ensureRegistry(system);
    }

    record Sent(String idempotencyKey, String activityId, boolean good, String expectedCode) {
    }

    @Test
    void aBurstEndsWithEveryMessageAppliedOnceOrDeadLetteredWithItsReason() throws Exception {
        String anapec = system.key("ANAPEC");
        List<Sent> sent = new ArrayList<>();
        List<ProducerRecord<String, byte[]>> firstHalf = new ArrayList<>();
        List<ProducerRecord<String, byte[]>> secondHalf = new ArrayList<>();
        String run = "K" + System.nanoTime() % 1_000_000_000L;
        for (int i = 0; i < 30; i++) {
            String id = "ANAPEC:" + run + "-" + i;
            String key = run + "-propose-" + i;
            List<ProducerRecord<String, byte[]>> half = i < 15 ? firstHalf : secondHalf;
            half.add(message(id, proposal(id), anapec, key));
            sent.add(new Sent(key, id, true, null));
            if (i % 5 == 0) {
                // The same command again (a producer retry): answered, never applied twice.
                half.add(message(id, proposal(id), anapec, key));
            }
        }
        String bad = "ANAPEC:" + run + "-bad";
        add(firstHalf, sent, message(bad, "{\"type\": \"ProposeActivity\", \"command\": {".getBytes(
                StandardCharsets.UTF_8), anapec, run + "-bad-json"), bad, "malformed-body");
        add(firstHalf, sent, message(bad, "{\"type\": \"LaunchRocket\", \"command\": {}}".getBytes(
                StandardCharsets.UTF_8), anapec, run + "-bad-type"), bad, "invalid-input");
        add(firstHalf, sent, message(bad, wrapped("ProposeActivity", "{\"activityId\": \"" + bad + "\", "
                + "\"plannedBudget\": {\"amount\": \"lots\", \"currency\": \"MAD\"}}"), anapec, run + "-bad-type2"),
                bad, "malformed-body");
        add(firstHalf, sent, message("ANAPEC:" + run + "-other", proposal(bad), anapec, run + "-bad-key"), bad,
                "invalid-input");
        add(secondHalf, sent, message(bad, proposal(bad), null, run + "-no-key"), bad, "unauthenticated");
        add(secondHalf, sent, message(bad, proposal(bad), "cl_0123456789ab_" + "x".repeat(43), run + "-forged"),
                bad, "unauthenticated");
        add(secondHalf, sent, message(bad, proposal(bad), system.key("OFPPT"), run + "-not-theirs"), bad,
                "not-permitted");
        add(secondHalf, sent, message(bad, proposal(bad), system.key("AUDITOR"), run + "-auditor"), bad,
                "forbidden");
        String unknown = "ANAPEC:" + run + "-unknown";
        add(secondHalf, sent, message(unknown, wrapped("StartActivity", "{\"activityId\": \"" + unknown
                + "\", \"startedOn\": \"2024-03-04\"}"), anapec, run + "-unknown"), unknown, "not-found");

        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (ProducerRecord<String, byte[]> record : firstHalf) {
                producer.send(record);
            }
            producer.flush();
            // The command service goes away in the middle of the burst, and the rest is sent while it is down.
            system.stopCommandService();
            for (ProducerRecord<String, byte[]> record : secondHalf) {
                producer.send(record);
            }
            producer.flush();
        }
        system.startCommandServiceAgain();

        Map<String, JsonNode> results = new ConcurrentHashMap<>();
        Map<String, ConsumerRecord<String, byte[]>> deadLetters = new ConcurrentHashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            consumer.subscribe(List.of("ledger.command-results", "ledger.commands.dlt"));
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    String key = header(record, "ledger-idempotency-key");
                    if (key == null || !key.startsWith(run)) {
                        continue;
                    }
                    if (record.topic().equals("ledger.commands.dlt")) {
                        deadLetters.put(key, record);
                    } else {
                        results.put(key, Http.JSON.readTree(record.value()));
                    }
                }
                return results.size() == sent.size()
                        && deadLetters.size() == sent.stream().filter(s -> !s.good()).count();
            });
        }

        for (Sent message : sent) {
            JsonNode result = results.get(message.idempotencyKey());
            if (message.good()) {
                assertThat(result.path("status").asText()).as(message + ": " + result).isEqualTo("ACCEPTED");
                assertThat(deadLetters).doesNotContainKey(message.idempotencyKey());
                long stored = system.commandDatabase().queryForObject("SELECT count(*) FROM domainevententry "
                        + "WHERE aggregateidentifier = ?", Long.class, message.activityId());
                assertThat(stored).as("events of " + message.activityId()).isEqualTo(1);
                assertThat(result.path("globalSequence").asLong()).isEqualTo(system.commandDatabase()
                        .queryForObject("SELECT globalindex FROM domainevententry WHERE aggregateidentifier = ?",
                                Long.class, message.activityId()));
            } else {
                assertThat(result.path("status").asText()).as(message + ": " + result).isEqualTo("REJECTED");
                assertThat(result.path("problem").path("code").asText()).as(message.toString())
                        .isEqualTo(message.expectedCode());
                ConsumerRecord<String, byte[]> dead = deadLetters.get(message.idempotencyKey());
                assertThat(header(dead, "ledger-dlt-code")).isEqualTo(message.expectedCode());
                assertThat(header(dead, "ledger-dlt-reason")).isNotBlank();
                assertThat(header(dead, "ledger-dlt-source")).startsWith("ledger.commands/");
                // The dead letter keeps the message, never the key that came with it.
                assertThat(dead.headers().lastHeader("ledger-api-key")).isNull();
            }
        }
        assertThat(system.commandDatabase().queryForObject("SELECT count(*) FROM domainevententry "
                + "WHERE aggregateidentifier IN (?, ?)", Long.class, bad, unknown)).isZero();
        // Accepted commands carry who sent them, as over HTTP.
        byte[] metadata = system.commandDatabase().queryForObject("SELECT metadata FROM domainevententry "
                + "WHERE aggregateidentifier = ?", byte[].class, "ANAPEC:" + run + "-0");
        assertThat(new String(metadata, StandardCharsets.UTF_8)).contains("\"recordedBy\":\"ANAPEC\"")
                .contains("\"idempotencyKey\":\"" + run + "-propose-0\"");
    }

    private static void add(List<ProducerRecord<String, byte[]>> half, List<Sent> sent,
                            ProducerRecord<String, byte[]> record, String activityId, String code) {
        half.add(record);
        sent.add(new Sent(new String(record.headers().lastHeader("ledger-idempotency-key").value(),
                StandardCharsets.UTF_8), activityId, false, code));
    }

    private static byte[] proposal(String id) {
        Map<String, Object> body = new LinkedHashMap<>(Ledger.proposal(id, "ANAPEC"));
        try {
            return wrapped("ProposeActivity", Http.JSON.writeValueAsString(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] wrapped(String type, String command) {
        return ("{\"type\": \"" + type + "\", \"command\": " + command + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static ProducerRecord<String, byte[]> message(String key, byte[] value, String apiKey,
                                                          String idempotencyKey) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>("ledger.commands", key, value);
        if (apiKey != null) {
            record.headers().add("ledger-api-key", apiKey.getBytes(StandardCharsets.UTF_8));
        }
        record.headers().add("ledger-idempotency-key", idempotencyKey.getBytes(StandardCharsets.UTF_8));
        return record;
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static KafkaProducer<String, byte[]> producer() {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, system.kafka().bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    private static KafkaConsumer<String, byte[]> consumer() {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, system.kafka().bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "it-results-" + System.nanoTime());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }
}
