package org.convergenceledger.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Tamper evidence of the event store: someone with write access to PostgreSQL changes, removes or reorders events,
 * and GET /api/audit/verification says which event and what. Each test restores what it damaged.
 */
class AuditChainIT {

    private static LedgerSystem system;
    private static JdbcTemplate store;

    @BeforeAll
    static void startTheLedger() {
        system = LedgerSystem.get();
        Ledger.ensureRegistry(system);
        store = system.commandDatabase();
    }

    @Test
    void anUntouchedStoreVerifiesWhole() {
        JsonNode report = verification();

        assertThat(report.path("failures")).isEmpty();
        assertThat(report.path("intact").asBoolean()).isTrue();
        assertThat(report.path("eventsChecked").asLong())
                .isEqualTo(store.queryForObject("SELECT count(*) FROM domainevententry", Long.class));
    }

    @Test
    void aChangedPayloadByteIsReportedAtThatEvent() {
        String id = startedActivity();
        Map<String, Object> commit = event(id, 1);
        byte[] original = (byte[]) commit.get("payload");
        try {
            store.update("UPDATE domainevententry SET payload = convert_to(replace(convert_from(payload, 'UTF8'), "
                    + "'1200000.00', '9200000.00'), 'UTF8') WHERE globalindex = ?", commit.get("globalindex"));

            JsonNode failure = onlyFailure(verification());

            assertThat(failure.path("globalSequence").asLong()).isEqualTo((Long) commit.get("globalindex"));
            assertThat(failure.path("aggregateId").asText()).isEqualTo(id);
            assertThat(failure.path("reason").asText()).contains("content no longer matches its hash");
        } finally {
            store.update("UPDATE domainevententry SET payload = ? WHERE globalindex = ?", original,
                    commit.get("globalindex"));
        }
        assertThat(verification().path("intact").asBoolean()).isTrue();
    }

    @Test
    void aDeletedEventIsReportedAtTheEventAfterIt() {
        String id = startedActivity();
        Map<String, Object> commit = event(id, 1);
        Map<String, Object> start = event(id, 2);
        store.update("DELETE FROM domainevententry WHERE globalindex = ?", commit.get("globalindex"));
        try {
            JsonNode failure = onlyFailure(verification());

            assertThat(failure.path("globalSequence").asLong()).isEqualTo((Long) start.get("globalindex"));
            assertThat(failure.path("reason").asText()).contains("events 1 to 1 of " + id + " are missing");
        } finally {
            store.update("INSERT INTO domainevententry (globalindex, aggregateidentifier, sequencenumber, type, "
                            + "eventidentifier, metadata, payload, payloadrevision, payloadtype, timestamp) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", commit.get("globalindex"),
                    commit.get("aggregateidentifier"), commit.get("sequencenumber"), commit.get("type"),
                    commit.get("eventidentifier"), commit.get("metadata"), commit.get("payload"),
                    commit.get("payloadrevision"), commit.get("payloadtype"), commit.get("timestamp"));
        }
        assertThat(verification().path("intact").asBoolean()).isTrue();
    }

    @Test
    void twoSwappedEventsOfOneActivityAreReported() {
        String id = startedActivity();
        Map<String, Object> commit = event(id, 1);
        Map<String, Object> start = event(id, 2);
        moveContent(commit, start);
        moveContent(start, commit);
        fixIds(commit, start);
        try {
            JsonNode report = verification();

            assertThat(report.path("intact").asBoolean()).isFalse();
            assertThat(report.path("failures").findValuesAsText("globalSequence"))
                    .contains(commit.get("globalindex").toString());
            assertThat(report.path("failures").findValuesAsText("aggregateId")).containsOnly(id);
        } finally {
            moveContent(commit, commit);
            moveContent(start, start);
            fixIds(commit, start);
        }
        assertThat(verification().path("intact").asBoolean()).isTrue();
    }

    /** Each event's own id again, once the two rows' contents are where they should be. */
    private static void fixIds(Map<String, Object> first, Map<String, Object> second) {
        for (Map<String, Object> event : List.of(first, second)) {
            store.update("UPDATE domainevententry SET eventidentifier = ? WHERE eventidentifier = ?",
                    event.get("eventidentifier"), "swap-" + event.get("eventidentifier"));
        }
    }

    /** Puts one event's content in another's row, as a reordering attack would. */
    private static void moveContent(Map<String, Object> into, Map<String, Object> from) {
        // A temporary id, since event ids are unique and both rows hold one of the two for a moment.
        store.update("UPDATE domainevententry SET payload = ?, metadata = ?, payloadtype = ?, eventidentifier = ?, "
                        + "timestamp = ? WHERE globalindex = ?", from.get("payload"), from.get("metadata"),
                from.get("payloadtype"), "swap-" + from.get("eventidentifier"), from.get("timestamp"),
                into.get("globalindex"));
    }

    private static String startedActivity() {
        String id = Ledger.newActivityId("ANAPEC", "SEAL");
        assertThat(Ledger.propose(system, id, "ANAPEC").status()).isEqualTo(201);
        String activity = system.commandUrl() + "/api/activities/" + id;
        assertThat(Http.post(activity + "/commitment", Map.of("committedAmount",
                Map.of("amount", new BigDecimal("1200000.00"), "currency", "MAD"), "committedOn", "2024-02-20"))
                .status()).isEqualTo(200);
        assertThat(Http.post(activity + "/start", Map.of("startedOn", "2024-03-04")).status()).isEqualTo(200);
        return id;
    }

    private static Map<String, Object> event(String id, long sequence) {
        return store.queryForMap("SELECT * FROM domainevententry WHERE aggregateidentifier = ? AND sequencenumber = ?",
                id, sequence);
    }

    private static JsonNode verification() {
        Http.Response response = Http.get(system.commandUrl() + "/api/audit/verification");
        assertThat(response.status()).as(response.raw().body()).isEqualTo(200);
        return response.json();
    }

    private static JsonNode onlyFailure(JsonNode report) {
        assertThat(report.path("intact").asBoolean()).isFalse();
        assertThat(report.path("failures")).as(report.toString()).hasSize(1);
        return report.path("failures").get(0);
    }
}
