package org.convergenceledger.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * An auditor rebuilds the projection straight from the event store into private tables and compares fingerprints
 * with the live one: equal when the view is what the stored facts imply, different once a stored fact is altered.
 */
class ReplayDigestIT extends OnTheLedger {

    private static final Path COMMAND_JAR = Path.of("../../query-service/target/query-service-0.1.0-SNAPSHOT-exec.jar");

    @Test
    void anIndependentReplayFromTheEventStoreMatchesTheLiveProjection() {
        JsonNode live = liveWhenCaughtUp();

        JsonNode replayed = replayed(live.path("upToSequence").asLong());

        assertThat(replayed.path("eventsReplayed").asLong()).isPositive();
        assertThat(replayed.path("rows")).isEqualTo(live.path("rows"));
        assertThat(replayed.path("digest").asText()).isEqualTo(live.path("digest").asText());
    }

    @Test
    void theDigestsDifferOnceAStoredEventIsAltered() {
        String id = Ledger.newActivityId("OFPPT", "REPLAY");
        assertThat(Ledger.propose(system, id, "OFPPT").status()).isEqualTo(201);
        assertThat(Ledger.post(system, system.commandUrl() + "/api/activities/" + id + "/commitment", Map.of("committedAmount",
                Map.of("amount", new BigDecimal("1200000.00"), "currency", "MAD"), "committedOn", "2024-02-20"))
                .status()).isEqualTo(200);
        Ledger.awaitSettled(system, id);
        JsonNode live = liveWhenCaughtUp();
        Map<String, Object> commit = store.queryForMap("SELECT globalindex, payload FROM domainevententry "
                + "WHERE aggregateidentifier = ? AND sequencenumber = 1", id);
        store.update("UPDATE domainevententry SET payload = convert_to(replace(convert_from(payload, 'UTF8'), "
                + "'1200000.00', '1300000.00'), 'UTF8') WHERE globalindex = ?", commit.get("globalindex"));
        try {
            JsonNode replayed = replayed(live.path("upToSequence").asLong());

            assertThat(replayed.path("digest").asText()).isNotEqualTo(live.path("digest").asText());
        } finally {
            store.update("UPDATE domainevententry SET payload = ? WHERE globalindex = ?", commit.get("payload"),
                    commit.get("globalindex"));
        }
        assertThat(replayed(live.path("upToSequence").asLong()).path("digest").asText())
                .isEqualTo(live.path("digest").asText());
    }

    @Test
    void theReplayCommandRebuildsIntoAFreshSchemaAndPrintsTheLiveDigest() throws Exception {
        JsonNode live = liveWhenCaughtUp();

        Run run = replayCommand("--compare-with=" + system.queryUrl(),
                "--schema=replay_match", "--keep");

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("projection digest " + live.path("digest").asText()
                + " up to global sequence " + live.path("upToSequence").asLong()).contains("MATCH");
        // Kept, the rebuilt tables are the auditor's to examine, beside (not instead of) the live ones.
        JdbcTemplate auditor = new JdbcTemplate(new DriverManagerDataSource(
                system.postgres().jdbcUrl("auditor"), system.postgres().username(), system.postgres().password()));
        assertThat(auditor.queryForObject("SELECT count(*) FROM replay_match.activity_view", Long.class))
                .isEqualTo(live.path("rows").path("activity_view").asLong());
        auditor.execute("DROP SCHEMA replay_match CASCADE");
    }

    @Test
    void theReplayCommandReportsADifferenceOnceAStoredEventIsAltered() throws Exception {
        String id = Ledger.newActivityId("OFPPT", "REPLAYCMD");
        assertThat(Ledger.propose(system, id, "OFPPT").status()).isEqualTo(201);
        Ledger.awaitSettled(system, id);
        JsonNode live = liveWhenCaughtUp();
        Map<String, Object> proposal = store.queryForMap("SELECT globalindex, payload FROM domainevententry "
                + "WHERE aggregateidentifier = ? AND sequencenumber = 0", id);
        store.update("UPDATE domainevententry SET payload = convert_to(replace(convert_from(payload, 'UTF8'), "
                + "'DAKHLA_OUED_EDDAHAB', 'ORIENTAL'), 'UTF8') WHERE globalindex = ?", proposal.get("globalindex"));
        try {
            Run run = replayCommand("--compare-with=" + system.queryUrl());

            assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
            assertThat(run.output()).contains("live projection digest " + live.path("digest").asText())
                    .contains("(dropped)").contains("DIFFERENT")
                    .doesNotContain("projection digest " + live.path("digest").asText() + " up to global sequence "
                            + live.path("upToSequence").asLong() + "\nMATCH");
        } finally {
            store.update("UPDATE domainevententry SET payload = ? WHERE globalindex = ?", proposal.get("payload"),
                    proposal.get("globalindex"));
        }
    }

    @Test
    void theReplayCommandExplainsABadOption() throws Exception {
        Run run = replayCommand("--up-to-sequence=soon");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.output()).contains("--up-to-sequence must be a non-negative number").contains("usage:");
    }

    record Run(int exitCode, String output) {
    }

    /** The command as an auditor runs it: the service's jar in a JVM of its own, a fresh schema in their database. */
    private static Run replayCommand(String... options) throws Exception {
        assertThat(COMMAND_JAR).as("query-service's executable jar (mvn package builds it)").exists();
        system.postgres().createDatabaseIfMissing("auditor");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", COMMAND_JAR.toString(), "replay",
                "--event-store=" + system.postgres().jdbcUrl("ledger_command"),
                "--event-store-user=" + system.postgres().username(),
                "--into=" + system.postgres().jdbcUrl("auditor"),
                "--into-user=" + system.postgres().username()));
        command.addAll(List.of(options));
        // Secrets through the environment, as the command asks: never on its command line.
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("LEDGER_EVENT_STORE_PASSWORD", system.postgres().password());
        builder.environment().put("LEDGER_INTO_PASSWORD", system.postgres().password());
        builder.environment().put("LEDGER_AUDITOR_KEY", system.key("AUDITOR"));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), output);
    }

    static JsonNode liveWhenCaughtUp() {
        try {
            return awaitLiveCaughtUp();
        } catch (ConditionTimeoutException stuck) {
            // Say where the prefix stands and what waits above it, so a stall can be diagnosed from the report.
            Map<String, Object> position = system.queryDatabase().queryForMap(
                    "SELECT * FROM projection_position WHERE projection = 'activity-view'");
            List<Map<String, Object>> pending = system.queryDatabase().queryForList(
                    "SELECT * FROM projection_pending ORDER BY global_sequence LIMIT 5");
            List<Map<String, Object>> stored = store.queryForList("SELECT globalindex, aggregateidentifier, "
                    + "payloadtype FROM domainevententry WHERE globalindex > ? ORDER BY globalindex LIMIT 5",
                    position.get("complete_sequence"));
            throw new AssertionError("live projection not caught up: " + position + "; pending " + pending
                    + "; stored above the prefix " + stored, stuck);
        }
    }

    private static JsonNode awaitLiveCaughtUp() {
        return await().atMost(Duration.ofSeconds(60)).until(() -> {
            long head = store.queryForObject("SELECT max(globalindex) FROM domainevententry", Long.class);
            JsonNode live = Ledger.auditor(system).get(system.queryUrl() + "/api/audit/projection-digest").json();
            // Exact: the live rows hold the events up to upToSequence and none beyond, so a replay to it compares.
            return live.path("upToSequence").asLong() >= head && live.path("exact").asBoolean() ? live : null;
        }, live -> live != null);
    }

    static JsonNode replayed(long upTo) {
        Http.Response response = Ledger.auditor(system).get(system.queryUrl() + "/api/audit/projection-digest/replayed?upToSequence="
                + upTo);
        assertThat(response.status()).as(response.raw().body()).isEqualTo(200);
        return response.json();
    }
}
