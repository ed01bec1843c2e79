package org.convergenceledger.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.convergenceledger.it.SeparateProcesses.COMMAND_JAR;
import static org.convergenceledger.it.SeparateProcesses.QUERY_JAR;
import static org.convergenceledger.it.SeparateProcesses.commandEnvironment;
import static org.convergenceledger.it.SeparateProcesses.everyOneStoredOnceWithALeaf;
import static org.convergenceledger.it.SeparateProcesses.inTheQueryView;
import static org.convergenceledger.it.SeparateProcesses.pause;
import static org.convergenceledger.it.SeparateProcesses.queryEnvironment;
import static org.convergenceledger.it.SeparateProcesses.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Faults with each service in its own process, as local.sh runs them: during a burst of commands over HTTP and
 * Kafka, the command service and the query service are killed with SIGKILL and started again, PostgreSQL is
 * restarted, the broker is away for longer than the publisher's delivery timeout, and one event's transaction is held
 * open past the store readers' gap timeout (the service's statement timeout turned off for it, so the commit is
 * reached and refused by migration V8). Afterwards every acknowledged command is stored exactly once, has its
 * leaf in the Merkle tree, is on Kafka and in the query view; the verification is intact and a replay from the store
 * gives the live projection's digest. Prints the figures.
 *
 * <p>Uses the test run's one PostgreSQL and one broker: the in-process services step aside while it runs and come
 * back after.
 */
class FaultIT extends OnTheLedger {

    /** Longer than the publisher's send timeout (10 s) and the checkpoint publisher's delivery timeout (10 s). */
    private static final Duration BROKER_AWAY = Duration.ofSeconds(15);
    /** Past the store readers' gap timeout (60 s). */
    private static final int HELD_SECONDS = 62;

    /** The services' own logs, kept for a look after the run. */
    private static final Path LOGS = Path.of("target/fault-logs");

    @Test
    void everyAcknowledgedCommandSurvivesKillsRestartsOutagesAndAHeldTransaction() throws Exception {
        String run = "F" + System.nanoTime() % 1_000_000_000L;
        String anapecKey = system.key("ANAPEC");
        String auditorKey = system.key("AUDITOR");
        system.stopQueryService();
        system.stopCommandService();
        Files.createDirectories(LOGS);
        ServiceProcess command = null;
        ServiceProcess query = null;
        Burst burst = null;
        try {
            Map<String, String> commandEnvironment = commandEnvironment(system);
            // The held transaction below must reach its commit to show migration V8's refusal; with the lanes'
            // statement timeout (GroupCommitIT) the held insert would be cancelled long before.
            commandEnvironment.put("LEDGER_COMMAND_STATEMENT_TIMEOUT", "0s");
            command = ServiceProcess.start("command-service", COMMAND_JAR, commandEnvironment, LOGS);
            query = ServiceProcess.start("query-service", QUERY_JAR, queryEnvironment(system, command.url()), LOGS);
            burst = new Burst(system, run, List.of(command), anapecKey);
            burst.start();
            pause(3);

            command.kill();
            command.startAgain();
            pause(3);

            query.kill();
            query.startAgain();
            pause(3);

            system.restartPostgres();
            pause(5);

            system.kafka().stop();
            Thread.sleep(BROKER_AWAY.toMillis());
            system.kafka().start();
            pause(3);

            int held = holdOneTransactionPastTheGapTimeout(command, anapecKey, run);
            assertThat(held).as("the held command is not acknowledged").isNotEqualTo(201);
            // Refused by the store itself, at commit: V8's trigger.
            assertThat(Files.readString(LOGS.resolve("command-service.log")))
                    .contains("ANAPEC:HELD-" + run + " would commit").contains("after its transaction began");
            burst.stop();

            JdbcTemplate store = store(system);
            assertThat(store.queryForObject("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = ?",
                    Long.class, "ANAPEC:HELD-" + run)).as("the held event was never committed").isZero();

            Set<String> acknowledged = burst.acknowledged();
            assertThat(burst.httpAcknowledged()).isPositive();
            assertThat(burst.kafkaAcknowledged()).isPositive();
            String queryUrl = query.url();
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(2)).until(() ->
                    everyOneStoredOnceWithALeaf(store, acknowledged) && inTheQueryView(queryUrl, acknowledged));

            SeparateProcesses.Tally tally = SeparateProcesses.nothingLostOrDoubled(system, store, burst);
            Map<String, Integer> onKafka = tally.onKafka();
            long lost = tally.lost();
            long doubled = tally.doubled();

            JsonNode verification = Http.as(auditorKey).get(command.url() + "/api/audit/verification").json();
            assertThat(verification.path("intact").asBoolean()).as(verification.toString()).isTrue();
            JsonNode live = await().atMost(Duration.ofSeconds(60)).until(() -> {
                long head = store.queryForObject("SELECT max(globalindex) FROM domainevententry", Long.class);
                JsonNode digest = Http.as(auditorKey).get(queryUrl + "/api/audit/projection-digest").json();
                return digest.path("upToSequence").asLong() >= head && digest.path("exact").asBoolean() ? digest
                        : null;
            }, digest -> digest != null);
            JsonNode replayed = Http.as(auditorKey).get(queryUrl + "/api/audit/projection-digest/replayed"
                    + "?upToSequence=" + live.path("upToSequence").asLong()).json();
            assertThat(replayed.path("digest").asText()).isEqualTo(live.path("digest").asText());

            long republished = onKafka.values().stream().mapToLong(count -> count - 1).sum();
            System.out.printf("[faults] acknowledged %d commands (HTTP %d, Kafka %d) through 1 SIGKILL of the command"
                            + " service, 1 of the query service, 1 PostgreSQL restart, the broker away %d s, one"
                            + " transaction held %d s (refused at commit, status %d); lost %d, doubled %d; %d"
                            + " records published twice on Kafka after the kill (the query side skips them);"
                            + " verification intact over %d events; replay digest = live digest%n",
                    acknowledged.size(), burst.httpAcknowledged(), burst.kafkaAcknowledged(),
                    BROKER_AWAY.toSeconds(), HELD_SECONDS, held, lost, doubled, republished,
                    verification.path("eventsChecked").asLong());
        } finally {
            if (burst != null) {
                burst.stop();
            }
            dropHoldingTrigger();
            if (query != null) {
                query.stop();
            }
            if (command != null) {
                command.stop();
            }
            system.startCommandServiceAgain();
            system.startQueryServiceAgain();
        }
    }

    /**
     * An insert that sleeps in the database (a test trigger) after its global index was handed out, while the burst
     * goes on: the store's readers see a gap for longer than they wait. The ledger must refuse to commit it.
     * Returns the HTTP status its sender got.
     */
    private static int holdOneTransactionPastTheGapTimeout(ServiceProcess command, String key, String run)
            throws Exception {
        JdbcTemplate store = store(system);
        store.execute("CREATE OR REPLACE FUNCTION fault_hold_insert() RETURNS trigger LANGUAGE plpgsql AS $$ "
                + "BEGIN PERFORM pg_sleep(" + HELD_SECONDS + "); RETURN NEW; END $$");
        store.execute("CREATE TRIGGER fault_hold BEFORE INSERT ON domainevententry FOR EACH ROW "
                + "WHEN (NEW.aggregateidentifier LIKE 'ANAPEC:HELD-%') EXECUTE FUNCTION fault_hold_insert()");
        String id = "ANAPEC:HELD-" + run;
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(command.url()
                        + "/api/activities")).timeout(Duration.ofSeconds(HELD_SECONDS + 60))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Http.JSON.writeValueAsString(Ledger.proposal(id, "ANAPEC"))))
                .build(), HttpResponse.BodyHandlers.ofString());
        dropHoldingTrigger();
        return response.statusCode();
    }

    private static void dropHoldingTrigger() {
        store(system).execute("DROP TRIGGER IF EXISTS fault_hold ON domainevententry");
    }
}
