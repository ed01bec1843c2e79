package org.convergenceledger.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStackTest {

    @TempDir
    Path tmp;

    @Test
    void postgresAndKafkaStartStopAndKeepTheirData() throws Exception {
        Set<Thread> threadsBefore = nonDaemonThreads();
        Path pgDir = tmp.resolve("postgres");
        Path kafkaDir = tmp.resolve("kafka");

        long t0 = System.nanoTime();
        LocalPostgres postgres = LocalPostgres.start(pgDir, 0);
        long pgMillis = (System.nanoTime() - t0) / 1_000_000;
        t0 = System.nanoTime();
        LocalKafka kafka = LocalKafka.start(kafkaDir, 0);
        long kafkaMillis = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("TIMING postgres start %d ms, kafka start %d ms%n", pgMillis, kafkaMillis);
        try {
            // --- PostgreSQL: a database, a query, a table for later
            postgres.createDatabaseIfMissing("ledger_test");
            postgres.createDatabaseIfMissing("ledger_test"); // idempotent
            assertThat(postgres.jdbcUrl("ledger_test")).isEqualTo("jdbc:postgresql://localhost:" + postgres.port() + "/ledger_test");
            try (Connection c = connect(postgres, "ledger_test"); Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("select current_database(), current_setting('max_connections'), current_setting('fsync')")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("ledger_test");
                    assertThat(rs.getString(2)).isEqualTo("200");
                    assertThat(rs.getString(3)).isEqualTo("on");
                }
                s.execute("create table kept (id int primary key, name text)");
                s.execute("insert into kept values (1, 'before restart')");
            }
            assertThatThrownBy(() -> LocalPostgres.start(pgDir, 0))
                    .hasMessageContaining("in use");

            // --- Kafka: produce and consume on an auto-created topic, default 3 partitions
            String topic = "ledger-events";
            try (KafkaProducer<String, String> producer = producer(kafka)) {
                producer.send(new ProducerRecord<>(topic, "k1", "first")).get();
            }
            kafka.createTopicIfMissing("explicit", 2);
            kafka.createTopicIfMissing("explicit", 2); // idempotent
            String group = "g-" + UUID.randomUUID();
            try (KafkaConsumer<String, String> consumer = consumer(kafka, group)) {
                consumer.subscribe(List.of(topic));
                assertThat(pollValues(consumer, 1)).containsExactly("first");
                consumer.commitSync();
                assertThat(consumer.partitionsFor(topic)).hasSize(3);
                assertThat(consumer.partitionsFor("explicit")).hasSize(2);

                // --- stop Kafka mid-stream, restart on the same port with the same data
                int port = kafka.port();
                kafka.stop();
                assertThat(kafka.isRunning()).isFalse();
                kafka.start();
                assertThat(kafka.isRunning()).isTrue();
                assertThat(kafka.port()).isEqualTo(port);
                try (KafkaProducer<String, String> producer = producer(kafka)) {
                    producer.send(new ProducerRecord<>(topic, "k2", "after restart")).get();
                }
                // the same consumer (same group, committed offset) sees only the new record
                assertThat(pollValues(consumer, 1)).containsExactly("after restart");
                consumer.commitSync();
            }
            // a new group reading from the start sees both: the log survived the restart
            try (KafkaConsumer<String, String> consumer = consumer(kafka, "g-" + UUID.randomUUID())) {
                consumer.subscribe(List.of(topic));
                assertThat(pollValues(consumer, 2)).containsExactlyInAnyOrder("first", "after restart");
            }
        } finally {
            kafka.close();
            postgres.close();
        }

        // --- PostgreSQL again on the same data directory: the table is there (no second initdb)
        LocalPostgres again = LocalPostgres.start(pgDir, 0);
        try (Connection c = connect(again, "ledger_test"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select name from kept where id = 1")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("before restart");
        } finally {
            again.close();
        }
        // --- Kafka again from the same directory after close(): not formatted twice, data kept
        LocalKafka kafkaAgain = LocalKafka.start(kafkaDir, 0);
        try (KafkaConsumer<String, String> consumer = consumer(kafkaAgain, "g-" + UUID.randomUUID())) {
            consumer.subscribe(List.of("ledger-events"));
            assertThat(pollValues(consumer, 2)).containsExactlyInAnyOrder("first", "after restart");
        } finally {
            kafkaAgain.close();
        }
        assertThat(Files.readString(pgDir.resolve("postgres.log"))).contains("database system is shut down");

        // nothing left that would keep a JVM alive
        List<Thread> leftOver = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        do {
            leftOver.clear();
            leftOver.addAll(nonDaemonThreads());
            leftOver.removeAll(threadsBefore);
            if (!leftOver.isEmpty()) {
                Thread.sleep(200);
            }
        } while (!leftOver.isEmpty() && System.nanoTime() < deadline);
        assertThat(leftOver.stream().map(Thread::getName).collect(Collectors.toList())).isEmpty();
    }

    @Test
    void theBrokerRefusesClientsWithoutALoginOrARight(@TempDir Path dir) throws Exception {
        LocalKafka kafka = LocalKafka.start(dir.resolve("kafka"), 0);
        try {
            kafka.createTopicIfMissing("ledger.commands.ANAPEC", 1);
            kafka.upsertUser("agency-ANAPEC", "right");

            try (KafkaProducer<String, String> anonymous = producer(kafka, Map.of())) {
                assertThatThrownBy(() -> anonymous.send(new ProducerRecord<>("ledger.commands.ANAPEC", "x")).get())
                        .hasRootCauseInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
            }
            try (KafkaProducer<String, String> wrong = producer(kafka, scram("agency-ANAPEC", "wrong"))) {
                assertThatThrownBy(() -> wrong.send(new ProducerRecord<>("ledger.commands.ANAPEC", "x")).get())
                        .hasRootCauseInstanceOf(org.apache.kafka.common.errors.SaslAuthenticationException.class);
            }
            try (KafkaProducer<String, String> ungranted = producer(kafka, scram("agency-ANAPEC", "right"))) {
                assertThatThrownBy(() -> ungranted.send(new ProducerRecord<>("ledger.commands.ANAPEC", "x")).get())
                        .hasRootCauseInstanceOf(org.apache.kafka.common.errors.TopicAuthorizationException.class);
            }
            kafka.allow("User:agency-ANAPEC", org.apache.kafka.common.resource.ResourceType.TOPIC,
                    "ledger.commands.ANAPEC", org.apache.kafka.common.resource.PatternType.LITERAL,
                    org.apache.kafka.common.acl.AclOperation.WRITE, org.apache.kafka.common.acl.AclOperation.DESCRIBE);
            try (KafkaProducer<String, String> granted = producer(kafka, scram("agency-ANAPEC", "right"))) {
                assertThat(granted.send(new ProducerRecord<>("ledger.commands.ANAPEC", "x")).get().offset())
                        .isZero();
                assertThatThrownBy(() -> granted.send(new ProducerRecord<>("ledger.events", "forged")).get())
                        .hasRootCauseInstanceOf(org.apache.kafka.common.errors.TopicAuthorizationException.class);
            }
        } finally {
            kafka.close();
        }
    }

    private static Set<Thread> nonDaemonThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !t.isDaemon())
                .collect(Collectors.toSet());
    }

    private static Connection connect(LocalPostgres pg, String db) throws Exception {
        return DriverManager.getConnection(pg.jdbcUrl(db), pg.username(), pg.password());
    }

    private static KafkaProducer<String, String> producer(LocalKafka kafka) {
        return producer(kafka, kafka.superUserProperties());
    }

    private static KafkaProducer<String, String> producer(LocalKafka kafka, Map<String, Object> login) {
        Map<String, Object> config = new HashMap<>(login);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return new KafkaProducer<>(config);
    }

    private static KafkaConsumer<String, String> consumer(LocalKafka kafka, String group) {
        Map<String, Object> config = new HashMap<>(kafka.superUserProperties());
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        return new KafkaConsumer<>(config);
    }

    private static Map<String, Object> scram(String user, String password) {
        return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "SCRAM-SHA-256", "sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                        + "\" password=\"" + password + "\";");
    }

    private static List<String> pollValues(KafkaConsumer<String, String> consumer, int expected) {
        List<String> values = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (values.size() < expected && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(250))) {
                values.add(r.value());
            }
        }
        return values;
    }
}
