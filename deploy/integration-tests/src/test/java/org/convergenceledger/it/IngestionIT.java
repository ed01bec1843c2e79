package org.convergenceledger.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.convergenceledger.it.AgencyTopics.header;
import static org.convergenceledger.it.AgencyTopics.message;
import static org.convergenceledger.it.AgencyTopics.wrapped;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * Agency systems sending commands on their own topics (ledger.commands.&lt;AGENCY&gt;), logged in as themselves,
 * against the real, closed broker: a burst of good, malformed, refused and duplicate messages, with the command
 * service stopped and started again in the middle. Every message must end either applied exactly once or in the
 * dead-letter topic with its reason, with an outcome on ledger.command-results. And what the broker refuses: a
 * client without a login, an agency writing another's topic or the ledger's events.
 */
class IngestionIT extends OnTheLedger {

    record Sent(String idempotencyKey, String activityId, boolean good, String expectedCode) {
    }

    @Test
    void aBurstEndsWithEveryMessageAppliedOnceOrDeadLetteredWithItsReason() throws Exception {
        String anapec = "ANAPEC";
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
        ProducerRecord<String, byte[]> badJson = message(bad, "{\"type\": \"ProposeActivity\", \"command\": {"
                .getBytes(StandardCharsets.UTF_8), anapec, run + "-bad-json");
        // An earlier sender's habit: a key in a header, which the dead-letter copy must not keep.
        badJson.headers().add("ledger-api-key", "not-to-be-kept".getBytes(StandardCharsets.UTF_8));
        add(firstHalf, sent, badJson, bad, "malformed-body");
        add(firstHalf, sent, message(bad, "{\"type\": \"LaunchRocket\", \"command\": {}}".getBytes(
                StandardCharsets.UTF_8), anapec, run + "-bad-type"), bad, "invalid-input");
        add(firstHalf, sent, message(bad, wrapped("ProposeActivity", "{\"activityId\": \"" + bad + "\", "
                + "\"plannedBudget\": {\"amount\": \"lots\", \"currency\": \"MAD\"}}"), anapec, run + "-bad-type2"),
                bad, "malformed-body");
        add(firstHalf, sent, message("ANAPEC:" + run + "-other", proposal(bad), anapec, run + "-bad-key"), bad,
                "invalid-input");
        // OFPPT, on its own topic, proposing an activity led by ANAPEC.
        add(secondHalf, sent, message(bad, proposal(bad), "OFPPT", run + "-not-theirs"), bad, "not-permitted");
        String unknown = "ANAPEC:" + run + "-unknown";
        add(secondHalf, sent, message(unknown, wrapped("StartActivity", "{\"activityId\": \"" + unknown
                + "\", \"startedOn\": \"2024-03-04\"}"), anapec, run + "-unknown"), unknown, "not-found");

        try (KafkaProducer<String, byte[]> producer = producer("ANAPEC");
             KafkaProducer<String, byte[]> ofppt = producer("OFPPT")) {
            for (ProducerRecord<String, byte[]> record : firstHalf) {
                producer.send(record).get();
            }
            // The command service goes away in the middle of the burst, and the rest is sent while it is down.
            system.stopCommandService();
            for (ProducerRecord<String, byte[]> record : secondHalf) {
                (record.topic().endsWith("OFPPT") ? ofppt : producer).send(record).get();
            }
        }
        system.startCommandServiceAgain();

        Map<String, JsonNode> results = new ConcurrentHashMap<>();
        Map<String, ConsumerRecord<String, byte[]>> deadLetters = new ConcurrentHashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = system.kafkaConsumer()) {
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
                assertThat(header(dead, "ledger-dlt-source")).startsWith("ledger.commands.");
                assertThat(dead.headers().lastHeader("ledger-api-key")).isNull();
            }
        }
        assertThat(system.commandDatabase().queryForObject("SELECT count(*) FROM domainevententry "
                + "WHERE aggregateidentifier IN (?, ?)", Long.class, bad, unknown)).isZero();
        // Accepted commands carry who sent them, as over HTTP.
        byte[] metadata = system.commandDatabase().queryForObject("SELECT metadata FROM domainevententry "
                + "WHERE aggregateidentifier = ?", byte[].class, "ANAPEC:" + run + "-0");
        assertThat(new String(metadata, StandardCharsets.UTF_8)).contains("\"recordedBy\":\"ANAPEC\"")
                .contains("\"keyId\":\"kafka:agency-ANAPEC\"")
                .contains("\"idempotencyKey\":\"" + run + "-propose-0\"");
    }

    @Test
    void theBrokerRefusesWhoeverHasNoRightAndNothingReachesTheQuerySide() throws Exception {
        String run = "R" + System.nanoTime() % 1_000_000_000L;
        String id = "ANAPEC:" + run;
        ProducerRecord<String, byte[]> proposal = message(id, proposal(id), "ANAPEC", run);
        try (KafkaProducer<String, byte[]> anonymous = producer(Map.of())) {
            assertThatThrownBy(() -> anonymous.send(proposal).get()).hasRootCauseInstanceOf(
                    org.apache.kafka.common.errors.TimeoutException.class);
        }
        try (KafkaProducer<String, byte[]> ofppt = producer("OFPPT")) {
            assertThatThrownBy(() -> ofppt.send(proposal).get()).hasRootCauseInstanceOf(
                    org.apache.kafka.common.errors.TopicAuthorizationException.class);
        }
        // An agency forging the ledger's own event that would give its key auditor rights on the query side.
        String forgedKey = "forged" + run;
        byte[] forged = ("{\"keyId\":\"" + forgedKey + "\",\"role\":\"AUDITOR\"}").getBytes(StandardCharsets.UTF_8);
        try (KafkaProducer<String, byte[]> anapec = producer("ANAPEC")) {
            assertThatThrownBy(() -> anapec.send(new ProducerRecord<>("ledger.events", "key:" + forgedKey, forged))
                    .get()).hasRootCauseInstanceOf(org.apache.kafka.common.errors.TopicAuthorizationException.class);
            assertThatThrownBy(() -> anapec.send(new ProducerRecord<>("ledger.checkpoints", "1", forged)).get())
                    .hasRootCauseInstanceOf(org.apache.kafka.common.errors.TopicAuthorizationException.class);
        }
        // What the ledger itself published is still all there is: a new activity reaches the query side, the
        // refused ones never do.
        String later = Ledger.newActivityId("ANAPEC", "AFTER");
        assertThat(Ledger.propose(system, later, "ANAPEC").status()).isEqualTo(201);
        Ledger.awaitSettled(system, later);
        assertThat(Http.get(system.queryUrl() + "/api/activities/" + id).status()).isEqualTo(404);
        assertThat(system.queryDatabase().queryForObject("SELECT count(*) FROM access_key WHERE key_id = ?",
                Long.class, forgedKey)).isZero();
        assertThat(system.commandDatabase().queryForObject("SELECT count(*) FROM domainevententry "
                + "WHERE aggregateidentifier = ?", Long.class, id)).isZero();
    }

    @Test
    void aRevokedLoginsMessagesAreRefusedAndANewLoginWorks() throws Exception {
        String run = "V" + System.nanoTime() % 1_000_000_000L;
        String id = "CNSS:" + run;
        // The revocation as recorded, with the broker's login still in place: messages already on the topic.
        system.commandDatabase().update("UPDATE broker_login SET revoked_at = now(), revoked_by = 'test' "
                + "WHERE agency_code = 'CNSS'");
        try (KafkaProducer<String, byte[]> cnss = producer("CNSS")) {
            cnss.send(message(id, proposal(id, "CNSS"), "CNSS", run)).get();
        }
        JsonNode result = awaitResult(run);
        assertThat(result.path("status").asText()).isEqualTo("REJECTED");
        assertThat(result.path("problem").path("detail").asText()).contains("the Kafka login of CNSS was revoked");

        // Revoked for real: the broker no longer lets the old password in.
        Http.Response revoked = Ledger.admin(system).post(system.commandUrl()
                + "/api/admin/agencies/CNSS/broker-login/revocation", Map.of());
        assertThat(revoked.status()).as(revoked.raw().body()).isEqualTo(200);
        try (KafkaProducer<String, byte[]> cnss = producer("CNSS")) {
            assertThatThrownBy(() -> cnss.send(message(id, proposal(id, "CNSS"), "CNSS", run + "-again")).get())
                    .hasRootCauseInstanceOf(org.apache.kafka.common.errors.SaslAuthenticationException.class);
        }
        // A new login, shown once, works at once.
        Http.Response issued = Ledger.admin(system).post(system.commandUrl()
                + "/api/admin/agencies/CNSS/broker-login", Map.of());
        assertThat(issued.status()).as(issued.raw().body()).isEqualTo(201);
        assertThat(issued.json().path("topic").asText()).isEqualTo("ledger.commands.CNSS");
        Map<String, Object> login = Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "SCRAM-SHA-256",
                "sasl.jaas.config", LedgerSystem.scram("agency-CNSS", issued.json().path("password").asText()));
        try (KafkaProducer<String, byte[]> cnss = producer(login)) {
            cnss.send(message(id, proposal(id, "CNSS"), "CNSS", run + "-new")).get();
        }
        assertThat(awaitResult(run + "-new").path("status").asText()).isEqualTo("ACCEPTED");
        assertThat(Ledger.admin(system).post(system.commandUrl() + "/api/admin/agencies/NOBODY/broker-login",
                Map.of()).status()).isEqualTo(404);
    }

    private static JsonNode awaitResult(String idempotencyKey) {
        try (KafkaConsumer<String, byte[]> consumer = system.kafkaConsumer()) {
            consumer.subscribe(List.of("ledger.command-results"));
            JsonNode[] found = new JsonNode[1];
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (idempotencyKey.equals(header(record, "ledger-idempotency-key"))) {
                        found[0] = Http.JSON.readTree(record.value());
                    }
                }
                return found[0] != null;
            });
            return found[0];
        }
    }

    private static void add(List<ProducerRecord<String, byte[]>> half, List<Sent> sent,
                            ProducerRecord<String, byte[]> record, String activityId, String code) {
        half.add(record);
        sent.add(new Sent(new String(record.headers().lastHeader("ledger-idempotency-key").value(),
                StandardCharsets.UTF_8), activityId, false, code));
    }

    private static byte[] proposal(String id) {
        return proposal(id, "ANAPEC");
    }

    private static byte[] proposal(String id, String lead) {
        return wrapped("ProposeActivity", Ledger.proposal(id, lead));
    }

    private static KafkaProducer<String, byte[]> producer(String agency) {
        return AgencyTopics.producer(system, agency);
    }

    private static KafkaProducer<String, byte[]> producer(Map<String, Object> login) {
        return AgencyTopics.producer(system, login);
    }
}
