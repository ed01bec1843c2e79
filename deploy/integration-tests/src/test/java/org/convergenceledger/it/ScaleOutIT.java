package org.convergenceledger.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.convergenceledger.it.SeparateProcesses.COMMAND_JAR;
import static org.convergenceledger.it.SeparateProcesses.QUERY_JAR;
import static org.convergenceledger.it.SeparateProcesses.commandEnvironment;
import static org.convergenceledger.it.SeparateProcesses.eventsPerActivity;
import static org.convergenceledger.it.SeparateProcesses.everyOneStoredOnceWithALeaf;
import static org.convergenceledger.it.SeparateProcesses.inTheQueryView;
import static org.convergenceledger.it.SeparateProcesses.pause;
import static org.convergenceledger.it.SeparateProcesses.queryEnvironment;
import static org.convergenceledger.it.SeparateProcesses.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Two instances of each service on one machine, against one PostgreSQL and one broker, as
 * {@code LEDGER_INSTANCES=2 deploy/local.sh start} runs them. Both command services take commands (one activity's
 * life may go from one to the other), a key revoked or a period closed through one binds the other, both query
 * services answer reads and stream the view's changes whichever applies them. Then, during a burst of commands over
 * HTTP (to both, a caller passing to the other when one is gone) and Kafka, the instances that hold the tracking
 * processors' claims are killed with SIGKILL: the others carry on — sealing, publishing, projecting, Kafka
 * ingestion, signing — and every acknowledged command is stored once, sealed, published and projected. Prints how
 * long each duty took to move over.
 *
 * <p>Uses the test run's one PostgreSQL and one broker: the in-process services step aside while it runs.
 */
class ScaleOutIT extends OnTheLedger {

    private static final Path LOGS = Path.of("target/scale-out-logs");
    /** Generous: the figures printed say how long each duty really took to move over. */
    private static final Duration TAKEOVER_LIMIT = Duration.ofSeconds(120);

    @Test
    void twoInstancesOfEachServiceShareTheLedgerAndTheSurvivorsCarryOnAfterSigkill() throws Exception {
        String run = "S" + System.nanoTime() % 1_000_000_000L;
        system.stopQueryService();
        system.stopCommandService();
        Files.createDirectories(LOGS);
        List<ServiceProcess> started = new ArrayList<>();
        Burst burst = null;
        try {
            // The first of each pair starts alone, so it claims every tracking processor: it is the one killed.
            ServiceProcess commandA = start(started, "command-a", COMMAND_JAR, commandEnvironment(system));
            ServiceProcess commandB = start(started, "command-b", COMMAND_JAR, commandEnvironment(system));
            ServiceProcess queryA = start(started, "query-a", QUERY_JAR, queryEnvironment(system, commandA.url()));
            ServiceProcess queryB = start(started, "query-b", QUERY_JAR, queryEnvironment(system, commandB.url()));
            JdbcTemplate store = store(system);
            assertThat(claimOwners(store)).as("the first command service holds the store's processors")
                    .allMatch(owner -> owner.startsWith(commandA.pid() + "@"));

            String crossing = oneLifeAcrossBothCommandServices(commandA, commandB, queryA, queryB, run)
                    + "; commands run a second time on remembered state: "
                    + (secondAttempts(commandA) + secondAttempts(commandB));
            long revokedWithinMs = aKeyRevokedThroughOneIsRefusedByTheOther(commandA, commandB);
            aPeriodClosedThroughOneBindsTheOther(commandA, commandB, run);
            aChangeAppliedByEitherQueryServiceIsStreamedByBoth(commandA, queryB, run);

            Burst sending = new Burst(system, run, List.of(commandA, commandB), system.key("ANAPEC"));
            burst = sending;
            sending.start();
            pause(5);
            long headBeforeKill = store.queryForObject("SELECT coalesce(max(tree_size), 0) FROM tree_head", Long.class);
            long killedAt = System.nanoTime();
            commandA.kill();
            queryA.kill();

            // Each duty the killed instances held, measured on what was sent after the kill, all watched at once.
            Map<String, BooleanSupplier> duties = new LinkedHashMap<>();
            duties.put("sealing", () -> anyAfter(sending, killedAt, ids -> everyOneStoredOnceWithALeaf(store, ids)));
            duties.put("projecting", () -> anyAfter(sending, killedAt, ids -> inTheQueryView(queryB.url(), ids)));
            // Every partition: what was sent in the first two seconds after the kill went to each of them.
            long window = killedAt + Duration.ofSeconds(2).toNanos();
            duties.put("Kafka ingestion", () -> System.nanoTime() > window
                    && allStored(store, sending.acknowledgedSentBetween(killedAt, window), "OFPPT:"));
            duties.put("signing", () -> store.queryForObject("SELECT coalesce(max(tree_size), 0) FROM tree_head",
                    Long.class) > headBeforeKill);
            Map<String, Double> resumedAfter = secondsUntilEach(killedAt, duties);
            pause(3);
            burst.stop();

            Set<String> acknowledged = burst.acknowledged();
            Set<String> afterKill = burst.acknowledgedSentAfter(killedAt);
            assertThat(afterKill).as("commands acknowledged after the kill").isNotEmpty();
            await().atMost(TAKEOVER_LIMIT).pollInterval(Duration.ofSeconds(2)).until(() ->
                    everyOneStoredOnceWithALeaf(store, acknowledged) && inTheQueryView(queryB.url(), acknowledged));
            SeparateProcesses.Tally tally = SeparateProcesses.nothingLostOrDoubled(system, store, burst);
            Map<String, Integer> onKafka = tally.onKafka();
            long lost = tally.lost();
            long doubled = tally.doubled();
            double publishedBy = (System.nanoTime() - killedAt) / 1e9;
            assertThat(claimOwners(store)).as("the survivor holds the store's processors now")
                    .allMatch(owner -> owner.startsWith(commandB.pid() + "@"));

            JsonNode verification = Http.as(system.key("AUDITOR")).get(commandB.url() + "/api/audit/verification")
                    .json();
            assertThat(verification.path("intact").asBoolean()).as(verification.toString()).isTrue();
            System.out.printf("[scale-out] 2 command + 2 query services; one activity's life across both (%s);"
                            + " a key revoked through one refused by the other %d ms after the revocation's answer;"
                            + " %d commands acknowledged (HTTP %d, Kafka %d), %d of them sent after SIGKILL of the"
                            + " instances holding the processors; lost %d, doubled %d; resumed after the kill (s):"
                            + " %s; every acknowledged command on ledger.events (checked %.1f s after the kill);"
                            + " verification intact over %d events%n",
                    crossing, revokedWithinMs, acknowledged.size(), burst.httpAcknowledged(),
                    burst.kafkaAcknowledged(), afterKill.size(), lost, doubled, resumedAfter, publishedBy,
                    verification.path("eventsChecked").asLong());
        } finally {
            if (burst != null) {
                burst.stop();
            }
            started.forEach(ServiceProcess::stop);
            system.startCommandServiceAgain();
            system.startQueryServiceAgain();
        }
    }

    private static ServiceProcess start(List<ServiceProcess> started, String name, Path jar,
                                        Map<String, String> environment) {
        ServiceProcess service = ServiceProcess.start(name, jar, environment, LOGS);
        started.add(service);
        return service;
    }

    /** The owners of the store's tracking tokens (the checkpointer's and the Kafka publisher's). */
    private static List<String> claimOwners(JdbcTemplate store) {
        return store.queryForList("SELECT coalesce(owner, '') FROM tokenentry", String.class);
    }

    /** Proposed on one, committed on the other, started on the first, completed on the second. */
    private static String oneLifeAcrossBothCommandServices(ServiceProcess a, ServiceProcess b, ServiceProcess queryA,
                                                           ServiceProcess queryB, String run) {
        Http.As anapec = Http.as(system.key("ANAPEC"));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String id = "ANAPEC:" + run + "-LIFE" + i;
            ids.add(id);
            String activity = "/api/activities/" + id;
            assertThat(anapec.post(a.url() + "/api/activities", Ledger.proposal(id, "ANAPEC")).status())
                    .isEqualTo(201);
            assertVersion(anapec.post(b.url() + activity + "/commitment", Map.of("committedAmount",
                    Map.of("amount", new BigDecimal("900000.00"), "currency", "MAD"), "committedOn", "2024-02-20")), 1);
            assertVersion(anapec.post(a.url() + activity + "/start", Map.of("startedOn", "2024-03-04")), 2);
            assertVersion(anapec.post(b.url() + activity + "/completion", Map.of("completedOn", "2025-02-27",
                    "amountSpent", Map.of("amount", new BigDecimal("880000.00"), "currency", "MAD"),
                    "beneficiariesReached", 120)), 3);
        }
        for (ServiceProcess query : List.of(queryA, queryB)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> ids.stream().allMatch(id -> {
                Http.Response view = Http.get(query.url() + "/api/activities/" + id);
                return view.status() == 200 && "COMPLETED".equals(view.json().path("state").asText());
            }));
        }
        return ids.size() + " activities, 4 commands each alternating, read COMPLETED from both query services";
    }

    /** The command service's ledger_commands_second_attempts_total, from its Prometheus scrape. */
    private static long secondAttempts(ServiceProcess command) {
        String scrape = Ledger.admin(system).get(command.url() + "/actuator/prometheus").raw().body();
        return scrape.lines().filter(line -> line.startsWith("ledger_commands_second_attempts_total"))
                .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    private static void assertVersion(Http.Response response, long version) {
        assertThat(response.status()).as(response.raw().body()).isEqualTo(200);
        assertThat(response.json().path("version").asLong()).isEqualTo(version);
    }

    /** Returns how long after the revocation's answer the other instance refused the key. */
    private static long aKeyRevokedThroughOneIsRefusedByTheOther(ServiceProcess a, ServiceProcess b) {
        Http.As admin = Ledger.admin(system);
        Http.Response issued = admin.post(a.url() + "/api/admin/keys", Map.of("role", "AUDITOR",
                "label", "used on both instances"));
        assertThat(issued.status()).as(issued.raw().body()).isEqualTo(201);
        String key = issued.json().path("apiKey").asText();
        // Used on both, so both remember it.
        for (ServiceProcess service : List.of(a, b)) {
            assertThat(Http.as(key).get(service.url() + "/api/audit/events?limit=1").status()).isEqualTo(200);
        }
        Http.Response revoked = admin.post(a.url() + "/api/admin/keys/" + issued.json().path("keyId").asText()
                + "/revocation", Map.of("reason", "revoked on one instance"));
        long answered = System.nanoTime();
        assertThat(revoked.status()).as(revoked.raw().body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(() ->
                Http.as(key).get(b.url() + "/api/audit/events?limit=1").status() == 401);
        return (System.nanoTime() - answered) / 1_000_000;
    }

    private static void aPeriodClosedThroughOneBindsTheOther(ServiceProcess a, ServiceProcess b, String run) {
        Http.Response closed = Http.as(system.key("COORDINATOR")).post(b.url() + "/api/convergence/closed-periods",
                Map.of("agency", "ANAPEC", "from", "2012-01-01", "to", "2012-12-31", "reason", "2012 closed"));
        // 409: a kept ledger (-Dledger.it.keep) closed it in an earlier run, once and for good.
        assertThat(closed.status()).as(closed.raw().body()).isIn(201, 409);
        String id = "ANAPEC:" + run + "-CLOSED";
        Http.As anapec = Http.as(system.key("ANAPEC"));
        assertThat(anapec.post(a.url() + "/api/activities", Ledger.proposal(id, "ANAPEC")).status()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> {
            Http.Response refused = anapec.post(a.url() + "/api/activities/" + id + "/commitment", Map.of(
                    "committedAmount", Map.of("amount", 1000, "currency", "MAD"), "committedOn", "2012-06-01"));
            assertThat(refused.status()).as(refused.raw().body()).isIn(200, 409);
            // Accepted would mean the other instance's closing was missed: fail at once rather than retry.
            assertThat(refused.status()).as("a fact in a period closed through the other instance").isEqualTo(409);
            return "period-closed".equals(refused.json().path("code").asText());
        });
    }

    /** A change made through the first command service, in the second query service's stream. */
    private static void aChangeAppliedByEitherQueryServiceIsStreamedByBoth(ServiceProcess commandA,
                                                                         ServiceProcess queryB, String run)
            throws Exception {
        Queue<String> lines = new ConcurrentLinkedQueue<>();
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<Stream<String>> stream = client.send(HttpRequest.newBuilder(URI.create(queryB.url()
                + "/api/convergence/stream")).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofLines());
        Thread reader = new Thread(() -> stream.body().forEach(lines::add), "stream-reader");
        reader.setDaemon(true);
        reader.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> lines.stream().anyMatch(line -> line.contains("hello")));
        String id = "ANAPEC:" + run + "-STREAMED";
        assertThat(Http.as(system.key("ANAPEC")).post(commandA.url() + "/api/activities",
                Ledger.proposal(id, "ANAPEC")).status()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(30)).until(() -> lines.stream().anyMatch(line -> line.contains(id)));
        stream.body().close();
    }

    private interface IdsCheck {
        boolean holds(Set<String> ids);
    }

    /** Whether some command acknowledged after that moment exists and passes the check. */
    private static boolean anyAfter(Burst burst, long moment, IdsCheck check) {
        Set<String> after = burst.acknowledgedSentAfter(moment);
        return after.stream().anyMatch(id -> check.holds(Set.of(id)));
    }

    /** Whether those with that prefix (there are some) are all in the store. */
    private static boolean allStored(JdbcTemplate store, Set<String> acknowledged, String prefix) {
        Set<String> ids = new java.util.HashSet<>(acknowledged);
        ids.removeIf(id -> !id.startsWith(prefix));
        return !ids.isEmpty() && eventsPerActivity(store, ids).keySet().containsAll(ids);
    }

    /** When each condition first held, in seconds after that moment; fails if one does not within the limit. */
    private static Map<String, Double> secondsUntilEach(long since, Map<String, BooleanSupplier> conditions)
            throws InterruptedException {
        Map<String, Double> held = new LinkedHashMap<>();
        long deadline = since + TAKEOVER_LIMIT.toNanos();
        while (held.size() < conditions.size() && System.nanoTime() < deadline) {
            for (Map.Entry<String, BooleanSupplier> condition : conditions.entrySet()) {
                if (!held.containsKey(condition.getKey()) && condition.getValue().getAsBoolean()) {
                    held.put(condition.getKey(), Math.round((System.nanoTime() - since) / 1e8) / 10.0);
                }
            }
            Thread.sleep(250);
        }
        assertThat(held.keySet()).as("duties resumed within " + TAKEOVER_LIMIT).containsAll(conditions.keySet());
        return held;
    }
}
