package org.convergenceledger.benchmark;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * (1) Kafka ingestion: commands applied per second end to end — ProposeActivity messages produced with the agency's
 * own login on ledger.commands.BENCH until their outcome is read on ledger.command-results — beside the raw produce
 * and consume rate of the same broker for the same messages in the same run (the broker's super user, a scratch
 * topic); (2) what authentication costs on the HTTP path: one open endpoint with and without a valid key,
 * interleaved so both see the same machine, at concurrency 1 and 8. Not a test: it measures.
 */
public final class IngestionBenchmark {

    private static final String AGENCY = "BENCH";
    private static final String KEY_HEADER = "ledger-idempotency-key";

    public static void main(String[] args) {
        Options options = new Options(IngestionBenchmark.class, """
                Kafka ingestion of a RUNNING Convergence Ledger against the broker's raw rate, and the cost of
                authentication on the HTTP path. The broker's super-user password (for the raw rate's scratch topic):
                $LEDGER_KAFKA_BROKER_PASSWORD, else $LEDGER_HOME/data/kafka.broker-password (local.sh's stack).
                """).system().option("kafka", "localhost:19092", "the broker")
                .option("commands", "2000", "ProposeActivity messages, all sent at once")
                .option("requests", "2000", "requests with and without a key, at each concurrency");
        Launch.main("ingestion benchmark", args, options, IngestionBenchmark::run);
    }

    private static void run(Options options) throws Exception {
        Ledger ledger = new Ledger(options.url("command-url"), options.url("query-url"),
                options.positive("request-timeout-seconds"));
        String kafka = options.text("kafka");
        String run = "I" + Long.toString(System.currentTimeMillis(), 36);
        List<ProducerRecord<String, byte[]>> messages = new ArrayList<>();
        for (int i = 0; i < options.positive("commands"); i++) {
            String id = AGENCY + ":" + run + "-" + i;
            messages.add(new ProducerRecord<>("ledger.commands." + AGENCY, id, ("{\"type\":\"ProposeActivity\","
                    + "\"command\":" + Ledger.proposal(id) + "}").getBytes(StandardCharsets.UTF_8)));
            messages.get(i).headers().add(KEY_HEADER, (run + "-" + i).getBytes(StandardCharsets.UTF_8));
        }
        System.out.printf("== Convergence Ledger: ingestion benchmark ==%nmachine          %s%nsystem           %s, "
                        + "broker %s%nworkload         %d ProposeActivity messages of %d bytes, keyed by activity%n",
                Report.machine(), ledger.commandUrl, kafka, messages.size(), messages.get(0).value().length);
        ledger.register(Map.of(AGENCY, "Benchmark agency"), Map.of("WORK_LINKED_TRAINING", "Work-linked training"));
        Ledger.Reply login = ledger.admin("POST", ledger.commandUrl + "/api/admin/agencies/" + AGENCY + "/broker-login",
                "{}");
        Map<String, Object> agency = login("SCRAM-SHA-256", "scram.ScramLoginModule", "agency-" + AGENCY,
                login.json().path("password").asText());
        String password = System.getenv("LEDGER_KAFKA_BROKER_PASSWORD") != null
                ? System.getenv("LEDGER_KAFKA_BROKER_PASSWORD") : Files.readString(Path.of(System.getenv()
                .getOrDefault("LEDGER_HOME", "deploy/.local"), "data", "kafka.broker-password"));
        Map<String, Object> superUser = login("PLAIN", "plain.PlainLoginModule", "broker", password.strip());

        // the broker's own rate for these messages: produce them all (acks=all), then consume them all back
        String topic = "bench.raw." + run;
        double raw;
        try (Admin admin = Admin.create(config(kafka, superUser))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
            long start = System.nanoTime();
            try (KafkaProducer<String, byte[]> producer = producer(kafka, superUser)) {
                messages.forEach(m -> producer.send(new ProducerRecord<>(topic, null, m.key(), m.value(),
                        m.headers())));
            }
            try (KafkaConsumer<String, byte[]> consumer = consumer(kafka, superUser, "bench-")) {
                consumer.subscribe(List.of(topic));
                for (int read = 0; read < messages.size(); ) {
                    read += consumer.poll(Duration.ofMillis(200)).count();
                }
            }
            raw = messages.size() / ((System.nanoTime() - start) / 1e9);
            admin.deleteTopics(List.of(topic)).all().get();
        }

        // ingestion: from the first send to the last outcome read
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        Latencies latencies = new Latencies();
        int[] outcomes = new int[2]; // accepted, rejected
        double seconds;
        try (KafkaConsumer<String, byte[]> results = consumer(kafka, agency, "agency-" + AGENCY + "-bench-")) {
            results.subscribe(List.of("ledger.command-results"));
            while (results.assignment().isEmpty()) { // joined and at the end before sending: every result is ours
                results.poll(Duration.ofMillis(100));
            }
            results.seekToEnd(results.assignment());
            results.assignment().forEach(results::position);
            long start = System.nanoTime();
            try (KafkaProducer<String, byte[]> producer = producer(kafka, agency)) {
                for (ProducerRecord<String, byte[]> message : messages) {
                    sentAt.put(new String(message.headers().lastHeader(KEY_HEADER).value(), StandardCharsets.UTF_8),
                            System.nanoTime());
                    producer.send(message);
                }
            }
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (outcomes[0] + outcomes[1] < messages.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> result : results.poll(Duration.ofMillis(200))) {
                    var key = result.headers().lastHeader(KEY_HEADER);
                    Long sent = key == null ? null : sentAt.remove(new String(key.value(), StandardCharsets.UTF_8));
                    if (sent != null) {
                        latencies.add(System.nanoTime() - sent);
                        outcomes[new String(result.value(), StandardCharsets.UTF_8).contains("\"ACCEPTED\"") ? 0 : 1]++;
                    }
                }
            }
            seconds = (System.nanoTime() - start) / 1e9;
        }
        String runTag = Report.runTag();
        Report.Lines lines = new Report.Lines();
        lines.add(new Report.Line("ingestion", runTag).kv("messages", messages.size()).kv("accepted", outcomes[0])
                .kv("rejected", outcomes[1]).kv("missing", messages.size() - outcomes[0] - outcomes[1])
                .kv("seconds", seconds).kv("commands_per_s", outcomes[0] / seconds).latencies("", latencies.summary())
                .kv("raw_msgs_per_s", raw).kv("ratio", outcomes[0] / seconds / raw).kv("target_ratio", 0.5));

        // authentication: GET /api/audit/public-key (open to all) without and with a valid key, interleaved
        String url = ledger.commandUrl + "/api/audit/public-key";
        String key = ledger.key("AUDITOR");
        Load.Workers pairs = (index, mine) -> number -> {
            for (String kind : new String[] {"without", "with"}) {
                long begin = System.nanoTime();
                int status = ledger.send("GET", url, null, kind.equals("with") ? key : null, null).status();
                if (status != 200) {
                    throw new Fatal("GET " + url + " " + kind + " a key answered " + status);
                }
                mine.add(kind, System.nanoTime() - begin);
            }
        };
        for (int threads : new int[] {1, 8}) {
            Load.run(threads, 0, 200, null, pairs); // warm-up
            Load.Result r = Load.run(threads, 0, options.positive("requests"), null, pairs);
            Latencies.Summary without = r.latencies().summary("without");
            Latencies.Summary with = r.latencies().summary("with");
            lines.add(new Report.Line("authentication", runTag).kv("concurrency", threads).kv("requests",
                    without.count()).latencies("without", without).latencies("with", with)
                    .kv("cost_p50_ms", with.p50() - without.p50()));
        }
        lines.print(List.of());
    }

    /** A SASL login: the agency's own (SCRAM) or the broker's super user (PLAIN). */
    private static Map<String, Object> login(String mechanism, String module, String user, String password) {
        return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", mechanism, "sasl.jaas.config",
                "org.apache.kafka.common.security." + module + " required username=\"" + user + "\" password=\""
                        + password + "\";");
    }

    private static Properties config(String kafka, Map<String, Object> login, Object... settings) {
        Properties config = new Properties();
        config.putAll(login);
        config.put("bootstrap.servers", kafka);
        for (int i = 0; i < settings.length; i += 2) {
            config.put(settings[i], settings[i + 1]);
        }
        return config;
    }

    private static KafkaProducer<String, byte[]> producer(String kafka, Map<String, Object> login) {
        return new KafkaProducer<>(config(kafka, login, "acks", "all", "linger.ms", 5), new StringSerializer(),
                new ByteArraySerializer());
    }

    private static KafkaConsumer<String, byte[]> consumer(String kafka, Map<String, Object> login, String group) {
        return new KafkaConsumer<>(config(kafka, login, "group.id", group + System.nanoTime(), "auto.offset.reset",
                "earliest", "max.poll.records", 2000), new StringDeserializer(), new ByteArrayDeserializer());
    }
}
