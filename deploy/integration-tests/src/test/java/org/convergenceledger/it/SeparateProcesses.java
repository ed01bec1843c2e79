package org.convergenceledger.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.convergenceledger.stack.LedgerBrokerAccess;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The services as local.sh runs them, each in a JVM of its own against the test run's PostgreSQL and broker, for the
 * tests that kill them ({@link FaultIT}, {@link ScaleOutIT}); and what those tests check afterwards: every
 * acknowledged command stored once, sealed in the Merkle tree, on Kafka and in the query view.
 */
final class SeparateProcesses {

    static final Path COMMAND_JAR = Path.of("../../command-service/target/command-service-0.1.0-SNAPSHOT-exec.jar");
    static final Path QUERY_JAR = Path.of("../../query-service/target/query-service-0.1.0-SNAPSHOT-exec.jar");

    private SeparateProcesses() {
    }

    static Map<String, String> commandEnvironment(LedgerSystem system) {
        Map<String, String> environment = new HashMap<>();
        environment.put("COMMAND_DB_URL", system.postgres().jdbcUrl("ledger_command"));
        environment.put("COMMAND_DB_USER", system.postgres().username());
        environment.put("COMMAND_DB_PASSWORD", system.postgres().password());
        environment.put("KAFKA_BOOTSTRAP_SERVERS", system.kafka().bootstrapServers());
        environment.put("KAFKA_PASSWORD", system.kafkaPassword(LedgerBrokerAccess.COMMAND_SERVICE));
        environment.put("LEDGER_SIGNING_KEY_FILE", system.signingKeyFile().toString());
        environment.put("LEDGER_CHECKPOINT_INTERVAL", "500ms");
        return environment;
    }

    static Map<String, String> queryEnvironment(LedgerSystem system, String commandUrl) {
        Map<String, String> environment = new HashMap<>();
        environment.put("QUERY_DB_URL", system.postgres().jdbcUrl("ledger_query"));
        environment.put("QUERY_DB_USER", system.postgres().username());
        environment.put("QUERY_DB_PASSWORD", system.postgres().password());
        environment.put("KAFKA_BOOTSTRAP_SERVERS", system.kafka().bootstrapServers());
        environment.put("KAFKA_PASSWORD", system.kafkaPassword(LedgerBrokerAccess.QUERY_SERVICE));
        environment.put("LEDGER_EVENT_STORE_URL", system.postgres().jdbcUrl("ledger_command"));
        environment.put("LEDGER_EVENT_STORE_USER", system.postgres().username());
        environment.put("LEDGER_EVENT_STORE_PASSWORD", system.postgres().password());
        environment.put("LEDGER_COMMAND_URL", commandUrl);
        return environment;
    }

    /**
     * The event store through a connection of its own: the services' pools come and go with the faults, and
     * PostgreSQL itself may be restarted in between.
     */
    static JdbcTemplate store(LedgerSystem system) {
        return new JdbcTemplate(new org.springframework.jdbc.datasource.DriverManagerDataSource(
                system.postgres().jdbcUrl("ledger_command"), system.postgres().username(),
                system.postgres().password()));
    }

    static boolean everyOneStoredOnceWithALeaf(JdbcTemplate store, Set<String> ids) {
        String[] list = ids.toArray(String[]::new);
        Long complete = store.query("SELECT count(DISTINCT e.aggregateidentifier) FROM domainevententry e "
                        + "JOIN merkle_leaf l ON l.event_id = e.eventidentifier WHERE e.aggregateidentifier = ANY (?)",
                statement -> statement.setArray(1, statement.getConnection().createArrayOf("varchar", list)),
                rows -> rows.next() ? rows.getLong(1) : 0L);
        return complete != null && complete == ids.size();
    }

    static boolean inTheQueryView(String queryUrl, Set<String> ids) {
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

    static Map<String, Long> eventsPerActivity(JdbcTemplate store, Set<String> ids) {
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
    static Map<String, Integer> onLedgerEvents(LedgerSystem system, Set<String> ids) {
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

    /** What became of a burst's proposals: none acknowledged missing, none stored twice, each on ledger.events. */
    record Tally(long lost, long doubled, Map<String, Integer> onKafka) {
    }

    static Tally nothingLostOrDoubled(LedgerSystem system, JdbcTemplate store, Burst burst) {
        Set<String> acknowledged = burst.acknowledged();
        Map<String, Long> stored = eventsPerActivity(store, burst.attempted());
        long doubled = stored.values().stream().filter(count -> count > 1).count();
        long lost = acknowledged.stream().filter(id -> stored.getOrDefault(id, 0L) != 1).count();
        assertThat(doubled).as("activities stored twice").isZero();
        assertThat(lost).as("acknowledged commands missing").isZero();
        Map<String, Integer> onKafka = onLedgerEvents(system, acknowledged);
        assertThat(onKafka.keySet()).containsAll(acknowledged);
        return new Tally(lost, doubled, onKafka);
    }

    static void pause(int seconds) throws InterruptedException {
        Thread.sleep(seconds * 1000L);
    }
}
