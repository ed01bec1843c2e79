package org.convergenceledger.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

class LifecycleIT extends OnTheLedger {

    @Test
    void anActivityMovesThroughItsLifecycleAndTheQueryServiceShowsEveryStep() {
        String id = Ledger.newActivityId("ANAPEC", "LIFE");
        String activity = system.commandUrl() + "/api/activities/" + id;

        Http.Response proposed = Ledger.propose(system, id, "ANAPEC");
        assertThat(proposed.status()).as(proposed.raw().body()).isEqualTo(201);
        assertThat(proposed.header("Location")).endsWith("/api/activities/" + id);
        assertThat(proposed.json().get("version").asLong()).isZero();

        assertVersion(Ledger.post(system, activity + "/commitment", Map.of("committedAmount",
                Map.of("amount", new BigDecimal("1200000.00"), "currency", "MAD"), "committedOn", "2024-02-20")), 1);
        assertVersion(Ledger.post(system, activity + "/start", Map.of("startedOn", "2024-03-04")), 2);
        assertVersion(Ledger.post(system, activity + "/partners", Map.of("agency", "OFPPT", "role", "IMPLEMENTING")), 3);
        assertVersion(Ledger.post(system, activity + "/completion", Map.of("completedOn", "2025-02-27", "amountSpent",
                Map.of("amount", new BigDecimal("1187450.50"), "currency", "MAD"), "beneficiariesReached", 412), "Occurred-At", "2025-02-27T16:00:00Z"), 4);

        JsonNode view = await().atMost(Duration.ofSeconds(30)).until(
                () -> Http.get(system.queryUrl() + "/api/activities/" + id),
                response -> response.status() == 200 && "COMPLETED".equals(response.json().path("state").asText()))
                .json();
        assertThat(view.path("leadAgency").asText()).isEqualTo("ANAPEC");
        assertThat(view.path("version").asLong()).isEqualTo(4);
        assertThat(view.path("beneficiariesReached").asLong()).isEqualTo(412);
        assertThat(view.path("partners").toString()).contains("GIZ", "FUNDING", "OFPPT", "IMPLEMENTING");
        assertThat(view.path("asOfSequence").asLong()).isPositive();

        JsonNode history = await().atMost(Duration.ofSeconds(30)).until(
                () -> Ledger.auditor(system).get(system.queryUrl() + "/api/audit/activities/" + id + "/history"),
                response -> response.status() == 200 && events(response.json()).size() == 5).json();
        List<JsonNode> events = events(history);
        assertThat(events).extracting(event -> event.path("type").asText()).containsExactly(
                "ActivityProposed", "ActivityCommitted", "ActivityStarted", "PartnerJoined", "ActivityCompleted");
        assertThat(events).extracting(event -> event.path("recordedBy").asText()).containsOnly("ANAPEC");
        assertThat(events).allSatisfy(event -> {
            assertThat(event.path("recordedAt").asText()).isNotBlank();
            assertThat(event.path("occurredAt").asText()).isNotBlank();
        });
        assertThat(events.get(4).path("occurredAt").asText()).startsWith("2025-02-27T16:00");
        assertThat(events).extracting(event -> event.path("globalSequence").asLong()).isSorted();
    }

    @Test
    void anActivityIsShownAsItWasKnownAtAPastInstant() {
        String id = Ledger.newActivityId("ANAPEC", "ASOF");
        assertThat(Ledger.propose(system, id, "ANAPEC").status()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(30)).until(() -> history(id) == 1);
        Instant afterProposal = Instant.now();
        await().atMost(Duration.ofSeconds(5)).until(() -> Instant.now().isAfter(afterProposal.plusMillis(20)));
        assertThat(Ledger.post(system, system.commandUrl() + "/api/activities/" + id + "/commitment", Map.of("committedAmount",
                Map.of("amount", new BigDecimal("1200000.00"), "currency", "MAD"), "committedOn", "2024-02-20"))
                .status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> history(id) == 2);

        JsonNode then = Http.get(system.queryUrl() + "/api/activities/" + id + "?asOf=" + afterProposal).json();
        JsonNode now = Http.get(system.queryUrl() + "/api/activities/" + id + "?asOf=" + Instant.now()).json();
        Http.Response before = Http.get(system.queryUrl() + "/api/activities/" + id + "?asOf=2020-01-01T00:00:00Z");

        assertThat(then.path("state").asText()).isEqualTo("PROPOSED");
        assertThat(then.path("version").asLong()).isZero();
        assertThat(now.path("state").asText()).isEqualTo("COMMITTED");
        assertThat(now.path("committed").path("amount").decimalValue()).isEqualByComparingTo("1200000.00");
        assertThat(before.status()).isEqualTo(404);
        assertThat(Http.get(system.queryUrl() + "/api/activities/" + id + "?asOf=yesterday").status())
                .isEqualTo(400);
    }

    private static int history(String id) {
        Http.Response response = Ledger.auditor(system).get(system.queryUrl() + "/api/audit/activities/" + id + "/history");
        return response.status() == 200 ? response.json().path("events").size() : 0;
    }

    @Test
    void everyStoredEventIsOnKafkaKeyedByItsActivityInStoreOrderWithItsSequenceIdAndPredecessor() {
        String id = Ledger.newActivityId("OFPPT", "ORDER");
        assertThat(Ledger.propose(system, id, "OFPPT").status()).isEqualTo(201);
        assertThat(Ledger.post(system, system.commandUrl() + "/api/activities/" + id + "/cancellation",
                Map.of("cancelledOn", "2024-01-10", "reason", "Merged")).status())
                .isEqualTo(200);
        List<Map<String, Object>> stored = system.commandDatabase().queryForList(
                "SELECT globalindex, eventidentifier FROM domainevententry WHERE aggregateidentifier = ? "
                        + "ORDER BY globalindex", id);

        List<ConsumerRecord<String, byte[]>> published = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            consumer.subscribe(List.of("ledger.events"));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(500)).forEach(record -> {
                    if (id.equals(record.key())) {
                        published.add(record);
                    }
                });
                return published.size() >= stored.size();
            });
        }
        assertThat(published).hasSize(2);
        for (int i = 0; i < stored.size(); i++) {
            assertThat(header(published.get(i), "ledger-global-sequence"))
                    .isEqualTo(stored.get(i).get("globalindex").toString());
            assertThat(header(published.get(i), "ledger-event-id")).isEqualTo(stored.get(i).get("eventidentifier"));
            // Each record names the stored event just before it, whichever activity that belongs to.
            Long previous = system.commandDatabase().queryForObject(
                    "SELECT coalesce(max(globalindex), 0) FROM domainevententry WHERE globalindex < ?", Long.class,
                    stored.get(i).get("globalindex"));
            assertThat(header(published.get(i), "ledger-previous-global-sequence")).isEqualTo(previous.toString());
        }
    }

    private static KafkaConsumer<String, byte[]> consumer() {
        return system.kafkaConsumer();
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static List<JsonNode> events(JsonNode history) {
        List<JsonNode> events = new ArrayList<>();
        history.path("events").forEach(events::add);
        return events;
    }

    private static void assertVersion(Http.Response response, long version) {
        assertThat(response.status()).as(response.raw().body()).isEqualTo(200);
        assertThat(response.json().get("version").asLong()).isEqualTo(version);
    }
}
