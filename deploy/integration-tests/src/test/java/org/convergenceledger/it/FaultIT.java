package org.convergenceledger.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.convergenceledger.stack.LedgerBrokerAccess;
import org.junit.jupiter.api.BeforeAll;
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
class FaultIT {

    private static final Path COMMAND_JAR = Path.of("../../command-service/target/command-service-0.1.0-SNAPSHOT-exec.jar");
    private static final Path QUERY_JAR = Path.of("../../query-service/target/query-service-0.1.0-SNAPSHOT-exec.jar");
    /** Longer than the publisher's send timeout (10 s) and the checkpoint publisher's delivery timeout (10 s). */
    private static final Duration BROKER_AWAY = Duration.ofSeconds(15);
    /** Past the store readers' gap timeout (60 s). */
    private static final int HELD_SECONDS = 62;

    private static LedgerSystem system;

    /** The services' own logs, kept for a look after the run. */
    private static final Path LOGS = Path.of("target/fault-logs");

    @BeforeAll
    static void startTheLedger() {
        system = LedgerSystem.get();
        Ledger.ensureRegistry(system);
    }

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
            command = ServiceProcess.start("command-service", COMMAND_JAR, commandEnvironment(), LOGS);
            Map<String, String> queryEnvironment = queryEnvironment();
            queryEnvironment.put("LEDGER_COMMAND_URL", command.url());
            query = ServiceProcess.start("query-service", QUERY_JAR, queryEnvironment, LOGS);
            burst = new Burst(run, command, anapecKey);
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

            JdbcTemplate store = store();
            assertThat(store.queryForObject("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = ?",
                    Long.class, "ANAPEC:HELD-" + run)).as("the held event was never committed").isZero();

            Set<String> acknowledged = burst.acknowledged();
            assertThat(burst.httpAcknowledged()).isPositive();
            assertThat(burst.kafkaAcknowledged()).isPositive();
            String queryUrl = query.url();
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(2)).until(() ->
                    everyOneStoredOnceWithALeaf(store, acknowledged) && inTheQueryView(queryUrl, acknowledged));

            Map<String, Long> stored = eventsPerActivity(store, burst.attempted());
            long doubled = stored.values().stream().filter(count -> count > 1).count();
            long lost = acknowledged.stream().filter(id -> stored.getOrDefault(id, 0L) != 1).count();
            assertThat(doubled).as("activities stored twice").isZero();
            assertThat(lost).as("acknowledged commands missing").isZero();
            Map<String, Integer> onKafka = onLedgerEvents(acknowledged);
            assertThat(onKafka.keySet()).containsAll(acknowledged);

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

    private static Map<String, String> commandEnvironment() {
        Map<String, String> environment = new HashMap<>();
        environment.put("COMMAND_DB_URL", system.postgres().jdbcUrl("ledger_command"));
        environment.put("COMMAND_DB_USER", system.postgres().username());
        environment.put("COMMAND_DB_PASSWORD", system.postgres().password());
        environment.put("KAFKA_BOOTSTRAP_SERVERS", system.kafka().bootstrapServers());
        environment.put("KAFKA_PASSWORD", system.kafkaPassword(LedgerBrokerAccess.COMMAND_SERVICE));
        environment.put("LEDGER_SIGNING_KEY_FILE", system.signingKeyFile().toString());
        environment.put("LEDGER_CHECKPOINT_INTERVAL", "500ms");
        // The held transaction below must reach its commit to show migration V8's refusal; with the lanes' statement
        // timeout (GroupCommitIT) the held insert would be cancelled long before.
        environment.put("LEDGER_COMMAND_STATEMENT_TIMEOUT", "0s");
        return environment;
    }

    private static Map<String, String> queryEnvironment() {
        Map<String, String> environment = new HashMap<>();
        environment.put("QUERY_DB_URL", system.postgres().jdbcUrl("ledger_query"));
        environment.put("QUERY_DB_USER", system.postgres().username());
        environment.put("QUERY_DB_PASSWORD", system.postgres().password());
        environment.put("KAFKA_BOOTSTRAP_SERVERS", system.kafka().bootstrapServers());
        environment.put("KAFKA_PASSWORD", system.kafkaPassword(LedgerBrokerAccess.QUERY_SERVICE));
        environment.put("LEDGER_EVENT_STORE_URL", system.postgres().jdbcUrl("ledger_command"));
        environment.put("LEDGER_EVENT_STORE_USER", system.postgres().username());
        environment.put("LEDGER_EVENT_STORE_PASSWORD", system.postgres().password());
        return environment;
    }

    /**
     * An insert that sleeps in the database (a test trigger) after its global index was handed out, while the burst
     * goes on: the store's readers see a gap for longer than they wait. The ledger must refuse to commit it.
     * Returns the HTTP status its sender got.
     */
    private static int holdOneTransactionPastTheGapTimeout(ServiceProcess command, String key, String run)
            throws Exception {
        JdbcTemplate store = store();
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
        store().execute("DROP TRIGGER IF EXISTS fault_hold ON domainevententry");
    }

    /**
     * The event store through a connection of its own: the services' pools come and go with the faults, and
     * PostgreSQL itself is restarted in between.
     */
    private static JdbcTemplate store() {
        return new JdbcTemplate(new org.springframework.jdbc.datasource.DriverManagerDataSource(
                system.postgres().jdbcUrl("ledger_command"), system.postgres().username(),
                system.postgres().password()));
    }

    private static boolean everyOneStoredOnceWithALeaf(JdbcTemplate store, Set<String> ids) {
        String[] list = ids.toArray(String[]::new);
        Long complete = store.query("SELECT count(DISTINCT e.aggregateidentifier) FROM domainevententry e "
                        + "JOIN merkle_leaf l ON l.event_id = e.eventidentifier WHERE e.aggregateidentifier = ANY (?)",
                statement -> statement.setArray(1, statement.getConnection().createArrayOf("varchar", list)),
                rows -> rows.next() ? rows.getLong(1) : 0L);
        return complete != null && complete == ids.size();
    }

    private static boolean inTheQueryView(String queryUrl, Set<String> ids) {
        try {
            for (String id : ids) {
                if (Http.get(queryUrl + "/api/activities/" + id).status() != 200) {
                    return false;
                }
            }
            return true;
        } catch (AssertionError unreachable) {
            return false;
        }
    }

    private static Map<String, Long> eventsPerActivity(JdbcTemplate store, Set<String> ids) {
        Map<String, Long> counts = new HashMap<>();
        String[] list = ids.toArray(String[]::new);
        store.query("SELECT aggregateidentifier, count(*) FROM domainevententry WHERE aggregateidentifier = ANY (?) "
                        + "GROUP BY aggregateidentifier",
                statement -> statement.setArray(1, statement.getConnection().createArrayOf("varchar", list)),
                row -> {
                    counts.put(row.getString(1), row.getLong(2));
                });
        return counts;
    }

    /** How many records ledger.events holds for each of these activities. */
    private static Map<String, Integer> onLedgerEvents(Set<String> ids) {
        Map<String, Integer> found = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = system.kafkaConsumer()) {
            consumer.subscribe(List.of("ledger.events"));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (ids.contains(record.key())) {
                        found.merge(record.key(), 1, Integer::sum);
                    }
                }
                return found.keySet().containsAll(ids);
            });
        }
        return found;
    }

    private static void pause(int seconds) throws InterruptedException {
        Thread.sleep(seconds * 1000L);
    }

    /** Proposals sent all along over HTTP (two senders) and Kafka, recording which were acknowledged. */
    private static final class Burst {

        private final String run;
        private final ServiceProcess command;
        private final String key;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger counter = new AtomicInteger();
        private final Set<String> attempted = ConcurrentHashMap.newKeySet();
        private final Set<String> http = ConcurrentHashMap.newKeySet();
        private final Set<String> kafka = ConcurrentHashMap.newKeySet();
        private final List<Thread> threads = new ArrayList<>();

        Burst(String run, ServiceProcess command, String key) {
            this.run = run;
            this.command = command;
            this.key = key;
        }

        void start() {
            for (int i = 0; i < 2; i++) {
                threads.add(new Thread(this::sendOverHttp, "burst-http-" + i));
            }
            threads.add(new Thread(this::sendOverKafka, "burst-kafka"));
            threads.forEach(Thread::start);
        }

        private void sendOverHttp() {
            while (running.get()) {
                String id = "ANAPEC:" + run + "-H" + counter.incrementAndGet();
                attempted.add(id);
                try {
                    Http.Response response = Http.post(command.url() + "/api/activities",
                            Ledger.proposal(id, "ANAPEC"), "Authorization", "Bearer " + key, "Idempotency-Key",
                            id.replace(':', '-'));
                    if (response.status() == 201) {
                        http.add(id);
                    }
                } catch (RuntimeException | AssertionError unreachable) {
                    // Down or cut mid-request: not acknowledged (it may still be stored, at most once).
                }
                // About 10 commands a second over HTTP and 5 over Kafka: enough to be mid-flight at every fault,
                // few enough that the ledger the later tests read stays small.
                sleepQuietly(200);
            }
        }

        private void sendOverKafka() {
            Map<String, Object> config = new HashMap<>(system.agencyLogin("OFPPT"));
            config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, system.kafka().bootstrapServers());
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(),
                    new ByteArraySerializer())) {
                while (running.get()) {
                    String id = "OFPPT:" + run + "-K" + counter.incrementAndGet();
                    attempted.add(id);
                    byte[] value;
                    try {
                        value = ("{\"type\": \"ProposeActivity\", \"command\": "
                                + Http.JSON.writeValueAsString(Ledger.proposal(id, "OFPPT")) + "}")
                                .getBytes(StandardCharsets.UTF_8);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    ProducerRecord<String, byte[]> record = new ProducerRecord<>("ledger.commands.OFPPT", id, value);
                    record.headers().add("ledger-idempotency-key", id.replace(':', '-').getBytes(StandardCharsets.UTF_8));
                    try {
                        producer.send(record, (metadata, failure) -> {
                            if (failure == null) {
                                kafka.add(id);
                            }
                        });
                    } catch (RuntimeException bufferFull) {
                        sleepQuietly(200);
                    }
                    sleepQuietly(200);
                }
                producer.flush();
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread thread : threads) {
                thread.join(TimeUnit.SECONDS.toMillis(150));
            }
        }

        Set<String> acknowledged() {
            Set<String> all = new HashSet<>(http);
            all.addAll(kafka);
            return all;
        }

        Set<String> attempted() {
            return attempted;
        }

        int httpAcknowledged() {
            return http.size();
        }

        int kafkaAcknowledged() {
            return kafka.size();
        }

        private static void sleepQuietly(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
