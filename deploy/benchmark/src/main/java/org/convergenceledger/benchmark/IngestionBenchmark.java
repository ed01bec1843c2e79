package org.convergenceledger.benchmark;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Issue 6's figures, printed, not asserted: (1) Kafka ingestion, commands applied per second end to end — produced
 * by the agency's own login on its topic ledger.commands.&lt;AGENCY&gt; until their outcome is read on
 * ledger.command-results — beside the raw produce-and-consume rate of the same broker for messages of the same
 * size, in the same run (as the broker's super user, on a scratch topic); (2) the cost of authentication on the
 * HTTP path: the same open endpoint with and without a valid key, interleaved, at concurrency 1 and 8.
 *
 * <pre>java -cp benchmark-exec.jar -Dloader.main=org.convergenceledger.benchmark.IngestionBenchmark \
 *   org.springframework.boot.loader.launch.PropertiesLauncher [commands=2000] [requests=2000]</pre>
 * Environment: LEDGER_COMMAND_URL (http://localhost:8081), LEDGER_KAFKA (localhost:19092), the admin key as for
 * the other benchmarks (LEDGER_ADMIN_KEY or deploy/.local/keys.env), the broker's super-user password for the raw
 * baseline (LEDGER_KAFKA_BROKER_PASSWORD, else the file local.sh's stack keeps: $LEDGER_HOME/data/kafka.broker-password).
 */
public final class IngestionBenchmark {

    private IngestionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            String[] pair = arg.split("=", 2);
            options.put(pair[0], pair.length == 2 ? pair[1] : "");
        }
        int commands = Integer.parseInt(options.getOrDefault("commands", "2000"));
        int requests = Integer.parseInt(options.getOrDefault("requests", "2000"));
        String commandUrl = System.getenv().getOrDefault("LEDGER_COMMAND_URL", "http://localhost:8081");
        String kafka = System.getenv().getOrDefault("LEDGER_KAFKA", "localhost:19092");
        LedgerHttp http = new LedgerHttp(commandUrl, commandUrl, Duration.ofSeconds(30));
        http.registerAgency();
        http.defineAxis();
        Map<String, Object> agency = login("SCRAM-SHA-256", "org.apache.kafka.common.security.scram.ScramLoginModule",
                "agency-" + LedgerHttp.AGENCY, http.brokerPasswordOf(LedgerHttp.AGENCY));
        Map<String, Object> superUser = login("PLAIN", "org.apache.kafka.common.security.plain.PlainLoginModule",
                "broker", brokerPassword());
        String run = "I" + Long.toString(System.currentTimeMillis(), 36);

        System.out.printf("machine          %d cores; broker %s; command service %s%n",
                Runtime.getRuntime().availableProcessors(), kafka, commandUrl);
        List<ProducerRecord<String, byte[]>> messages = new ArrayList<>();
        for (int i = 0; i < commands; i++) {
            String id = LedgerHttp.AGENCY + ":" + run + "-" + i;
            ProducerRecord<String, byte[]> record = new ProducerRecord<>("ledger.commands." + LedgerHttp.AGENCY, id,
                    proposal(id));
            record.headers().add("ledger-idempotency-key", (run + "-" + i).getBytes(StandardCharsets.UTF_8));
            messages.add(record);
        }
        int size = messages.get(0).value().length;
        System.out.printf("workload         %d ProposeActivity messages of %d bytes, keyed by activity, one agency's login%n",
                commands, size);

        double raw = rawProduceAndConsume(kafka, superUser, messages, run);
        double ingested = ingestion(kafka, agency, messages, run);
        System.out.printf("%n== Kafka ingestion ==%n");
        System.out.printf("raw produce+consume  %,.0f msgs/s (same broker, same messages, to a scratch topic)%n", raw);
        System.out.printf("ingestion            %,.1f commands/s end to end (produce → applied → result read)%n",
                ingested);
        System.out.printf("ratio                %.3f%n", ingested / raw);

        System.out.printf("%n== Authentication on the HTTP path (GET /api/audit/public-key, open to all) ==%n");
        for (int threads : new int[] {1, 8}) {
            authCost(commandUrl, http.keyOf("AUDITOR"), requests, threads);
        }
    }

    private static byte[] proposal(String id) {
        return ("{\"type\":\"ProposeActivity\",\"command\":{\"activityId\":\"" + id + "\",\"leadAgency\":\""
                + LedgerHttp.AGENCY + "\",\"title\":\"Ingested dual training " + id + "\",\"description\":\"Kafka "
                + "ingestion benchmark\",\"axes\":[\"" + LedgerHttp.AXIS + "\"],\"regions\":[\"ORIENTAL\"],"
                + "\"targetGroups\":[\"YOUTH\"],\"plannedPeriod\":{\"start\":\"2025-03-01\",\"end\":\"2026-02-28\"},"
                + "\"plannedBudget\":{\"amount\":1250000.00,\"currency\":\"MAD\"},\"partners\":[]}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** The broker's own rate for these messages: produce them all (acks=all), then consume them all back. */
    private static double rawProduceAndConsume(String kafka, Map<String, Object> login,
                                               List<ProducerRecord<String, byte[]>> messages, String run)
            throws Exception {
        String topic = "bench.raw." + run;
        Properties admin = new Properties();
        admin.putAll(login);
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        try (Admin client = Admin.create(admin)) {
            client.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
        }
        long start = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = producer(kafka, login)) {
            for (ProducerRecord<String, byte[]> message : messages) {
                producer.send(new ProducerRecord<>(topic, null, message.key(), message.value(), message.headers()));
            }
            producer.flush();
        }
        long produced = System.nanoTime();
        int read = 0;
        try (KafkaConsumer<String, byte[]> consumer = consumer(kafka, login, "bench-")) {
            consumer.subscribe(List.of(topic));
            while (read < messages.size()) {
                read += consumer.poll(Duration.ofMillis(200)).count();
            }
        }
        long end = System.nanoTime();
        System.out.printf("raw              produced %d in %.2f s, consumed back in %.2f s%n", messages.size(),
                (produced - start) / 1e9, (end - produced) / 1e9);
        try (Admin client = Admin.create(admin)) {
            client.deleteTopics(List.of(topic)).all().get();
        }
        return messages.size() / ((end - start) / 1e9);
    }

    private static double ingestion(String kafka, Map<String, Object> login,
                                    List<ProducerRecord<String, byte[]>> messages, String run) throws Exception {
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        Latencies latencies = new Latencies();
        int accepted = 0;
        int rejected = 0;
        try (KafkaConsumer<String, byte[]> results = consumer(kafka, login, "agency-" + LedgerHttp.AGENCY + "-bench-")) {
            results.subscribe(List.of("ledger.command-results"));
            // Join the group and seek to the end before sending, so every result read is one of this run's.
            while (results.assignment().isEmpty()) {
                results.poll(Duration.ofMillis(100));
            }
            results.seekToEnd(results.assignment());
            results.assignment().forEach(results::position);
            long start = System.nanoTime();
            try (KafkaProducer<String, byte[]> producer = producer(kafka, login)) {
                for (ProducerRecord<String, byte[]> message : messages) {
                    sentAt.put(new String(message.headers().lastHeader("ledger-idempotency-key").value(),
                            StandardCharsets.UTF_8), System.nanoTime());
                    producer.send(message);
                }
                producer.flush();
            }
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (accepted + rejected < messages.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : results.poll(Duration.ofMillis(200))) {
                    var header = record.headers().lastHeader("ledger-idempotency-key");
                    String key = header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
                    Long sent = sentAt.remove(key);
                    if (sent == null) {
                        continue;
                    }
                    latencies.add(System.nanoTime() - sent);
                    if (new String(record.value(), StandardCharsets.UTF_8).contains("\"ACCEPTED\"")) {
                        accepted++;
                    } else {
                        rejected++;
                    }
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Latencies.Summary summary = latencies.summary();
            System.out.printf("ingestion        %d accepted, %d rejected, %d without a result, in %.2f s; "
                            + "produce → result p50 %.0f ms, p95 %.0f ms, p99 %.0f ms%n", accepted, rejected,
                    messages.size() - accepted - rejected, seconds, summary.p50(), summary.p95(), summary.p99());
            return accepted / seconds;
        }
    }

    /** Same requests with and without a key, interleaved so that both see the same machine. */
    private static void authCost(String commandUrl, String key, int requests, int threads) throws Exception {
        var client = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1)
                .build();
        var anonymous = java.net.http.HttpRequest.newBuilder(java.net.URI.create(commandUrl
                + "/api/audit/public-key")).GET().build();
        var withKey = java.net.http.HttpRequest.newBuilder(java.net.URI.create(commandUrl
                + "/api/audit/public-key")).header("Authorization", "Bearer " + key).GET().build();
        for (int warm = 0; warm < 200; warm++) {
            client.send(anonymous, java.net.http.HttpResponse.BodyHandlers.discarding());
            client.send(withKey, java.net.http.HttpResponse.BodyHandlers.discarding());
        }
        List<Latencies> withouts = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Latencies> withs = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> work = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            work.add(pool.submit(() -> {
                Latencies mineWithout = new Latencies();
                Latencies mineWith = new Latencies();
                for (int i = 0; i < requests / threads; i++) {
                    long a = System.nanoTime();
                    int s1 = client.send(anonymous, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
                    long b = System.nanoTime();
                    int s2 = client.send(withKey, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
                    long c = System.nanoTime();
                    if (s1 != 200 || s2 != 200) {
                        throw new IllegalStateException("answers " + s1 + " / " + s2);
                    }
                    mineWithout.add(b - a);
                    mineWith.add(c - b);
                }
                withouts.add(mineWithout);
                withs.add(mineWith);
                return null;
            }));
        }
        for (Future<?> future : work) {
            future.get();
        }
        pool.shutdown();
        Latencies.Summary a = Latencies.merge(withouts).summary();
        Latencies.Summary b = Latencies.merge(withs).summary();
        System.out.printf("concurrency %d    without a key p50 %.2f / p99 %.2f ms;  with a valid key p50 %.2f / "
                        + "p99 %.2f ms;  cost p50 %+.2f ms (%d requests each)%n", threads, a.p50(), a.p99(), b.p50(),
                b.p99(), b.p50() - a.p50(), a.count());
    }

    private static Map<String, Object> login(String mechanism, String module, String user, String password) {
        return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", mechanism, "sasl.jaas.config",
                module + " required username=\"" + user + "\" password=\"" + password + "\";");
    }

    private static String brokerPassword() throws java.io.IOException {
        String password = System.getenv("LEDGER_KAFKA_BROKER_PASSWORD");
        if (password != null && !password.isBlank()) {
            return password.strip();
        }
        String home = System.getenv().getOrDefault("LEDGER_HOME", "deploy/.local");
        return java.nio.file.Files.readString(java.nio.file.Path.of(home, "data", "kafka.broker-password")).strip();
    }

    private static KafkaProducer<String, byte[]> producer(String kafka, Map<String, Object> login) {
        Properties config = new Properties();
        config.putAll(login);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    private static KafkaConsumer<String, byte[]> consumer(String kafka, Map<String, Object> login, String group) {
        Properties config = new Properties();
        config.putAll(login);
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group + System.nanoTime());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }
}
