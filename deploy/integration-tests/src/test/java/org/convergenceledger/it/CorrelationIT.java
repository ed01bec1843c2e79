package org.convergenceledger.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * One correlation id from the sender to the projection: taken from X-Correlation-Id (HTTP) or ledger-correlation-id
 * (an agency's Kafka command), stored in the event's metadata, published as the record's ledger-correlation-id
 * header, and in the MDC of the query side's log lines while the batch holding the event is applied. Both services
 * run in this JVM, so the projection's log lines are read from Logback itself.
 */
class CorrelationIT extends OnTheLedger {

    private static final String BATCHES = "org.convergenceledger.query.projection.Batches";

    private final ListAppender<ILoggingEvent> projectionLog = new ListAppender<>();
    private Level levelBefore;

    @BeforeEach
    void listenToTheProjections() {
        Logger batches = (Logger) LoggerFactory.getLogger(BATCHES);
        levelBefore = batches.getLevel();
        batches.setLevel(Level.DEBUG);
        projectionLog.start();
        batches.addAppender(projectionLog);
    }

    @AfterEach
    void stopListening() {
        Logger batches = (Logger) LoggerFactory.getLogger(BATCHES);
        batches.detachAppender(projectionLog);
        batches.setLevel(levelBefore);
    }

    @Test
    void theSendersIdFollowsAnHttpCommandToItsEventItsRecordAndTheProjection() {
        String activityId = Ledger.newActivityId("ANAPEC", "CORRELATION");
        String correlationId = "it-http-" + System.nanoTime();
        Http.Response proposed = Ledger.post(system, system.commandUrl() + "/api/activities",
                Ledger.proposal(activityId, "ANAPEC"), "X-Correlation-Id", correlationId);
        assertThat(proposed.status()).isEqualTo(201);
        assertThat(proposed.header("X-Correlation-Id")).isEqualTo(correlationId);

        assertThat(storedCorrelationIds(activityId)).containsExactly(correlationId);
        assertThat(publishedCorrelationIds(activityId)).contains(correlationId);
        awaitProjectionLine("activity-view", correlationId);
        awaitProjectionLine("audit-history", correlationId);
    }

    @Test
    void theQueryServiceAnswersTheSendersIdOrItsOwn() {
        Http.Response given = Http.get(system.queryUrl() + "/api/axes", "X-Correlation-Id", "it-read-42");
        Http.Response made = Http.get(system.queryUrl() + "/api/axes");

        assertThat(given.header("X-Correlation-Id")).isEqualTo("it-read-42");
        assertThat(made.header("X-Correlation-Id")).matches("[0-9a-f-]{36}");
    }

    @Test
    void aKafkaCommandsIdReachesItsEvent() throws Exception {
        String activityId = Ledger.newActivityId("ANAPEC", "CORRELATION");
        String correlationId = "it-kafka-" + System.nanoTime();
        ConsumerRecord<String, byte[]> result = AgencyTopics.sendAndAwaitResult(system, "ANAPEC", activityId,
                "ProposeActivity", Ledger.proposal(activityId, "ANAPEC"), Map.of("ledger-correlation-id", correlationId));
        JsonNode outcome = Http.JSON.readTree(result.value());
        assertThat(outcome.path("status").asText()).as(outcome.toString()).isEqualTo("ACCEPTED");
        // The result carries the command's id, so that the agency ties one to the other.
        assertThat(AgencyTopics.header(result, "ledger-correlation-id")).isEqualTo(correlationId);

        assertThat(storedCorrelationIds(activityId)).containsExactly(correlationId);
        assertThat(publishedCorrelationIds(activityId)).contains(correlationId);
        awaitProjectionLine("activity-view", correlationId);
    }

    @Test
    void withoutAUsableIdTheServiceMakesOneAndTheSealIgnoresIt() {
        String activityId = Ledger.newActivityId("ANAPEC", "CORRELATION");
        Http.Response proposed = Ledger.post(system, system.commandUrl() + "/api/activities",
                Ledger.proposal(activityId, "ANAPEC"), "X-Correlation-Id", "not an id; it has spaces");
        assertThat(proposed.status()).isEqualTo(201);
        String made = proposed.header("X-Correlation-Id");
        assertThat(made).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(storedCorrelationIds(activityId)).containsExactly(made);

        // Tracing, not a fact: changed in the store, it leaves the event's seal intact (once sealed and published, so
        // that no processor reads the changed row as new).
        Ledger.awaitSettled(system, activityId);
        assertThat(system.commandDatabase().update("UPDATE domainevententry SET metadata = convert_to(replace("
                + "convert_from(metadata, 'UTF8'), ?, 'rewritten'), 'UTF8') WHERE aggregateidentifier = ?", made,
                activityId)).isEqualTo(1);
        assertThat(storedCorrelationIds(activityId)).containsExactly("rewritten");
        Http.Response verified = Ledger.auditor(system).get(system.commandUrl() + "/api/audit/verification");
        assertThat(verified.status()).as(verified.raw().body()).isEqualTo(200);
        assertThat(verified.json().path("intact").asBoolean()).as(verified.raw().body()).isTrue();
    }

    private static List<String> storedCorrelationIds(String activityId) {
        return system.commandDatabase().query("SELECT metadata FROM domainevententry WHERE aggregateidentifier = ? "
                        + "ORDER BY sequencenumber", (row, n) -> {
                    try {
                        return Http.JSON.readTree(row.getBytes(1)).path("correlationId").asText(null);
                    } catch (java.io.IOException e) {
                        throw new AssertionError(e);
                    }
                }, activityId);
    }

    /** The ledger-correlation-id headers of the activity's records on ledger.events (keyed by activity id). */
    private static List<String> publishedCorrelationIds(String activityId) {
        java.util.List<String> found = new java.util.ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = system.kafkaConsumer()) {
            consumer.subscribe(List.of("ledger.events"));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (activityId.equals(record.key())) {
                        var header = record.headers().lastHeader("ledger-correlation-id");
                        found.add(header == null ? null : new String(header.value(), StandardCharsets.UTF_8));
                    }
                }
                return !found.isEmpty();
            });
        }
        return found;
    }

    private void awaitProjectionLine(String projection, String correlationId) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(List.copyOf(projectionLog.list))
                .anySatisfy(line -> {
                    assertThat(line.getFormattedMessage()).startsWith(projection + ": applying");
                    assertThat(line.getMDCPropertyMap().get("correlationId")).contains(correlationId);
                }));
    }
}
