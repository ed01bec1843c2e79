package org.convergenceledger.command.ingestion;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.convergenceledger.command.access.BrokerLogins;
import org.convergenceledger.command.system.Caller;
import org.convergenceledger.command.system.CommandDispatch;
import org.convergenceledger.web.Correlation;
import org.convergenceledger.command.system.KafkaClients;
import org.convergenceledger.command.system.CommandOutcome;
import org.convergenceledger.command.system.Problems;
import org.convergenceledger.events.access.AccessRole;
import org.convergenceledger.events.activity.ProposeActivity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;

/**
 * Agency systems that live on Kafka send commands on their own topic, ledger.commands.&lt;AGENCY&gt;: one message per
 * command, keyed by activity id. The broker lets only the agency's own principal write that topic
 * ({@link BrokerLogins}), so the topic names the sender: no API key travels in a record, and none stays in the
 * topic. A revoked login's messages still waiting are refused. Each
 * message goes through the one dispatch path HTTP uses, under an idempotency key (the sender's, header
 * ledger-idempotency-key, else one made of the message's topic, partition and offset), so a message delivered
 * again is answered from what was stored and never applied twice. Its outcome goes to ledger.command-results
 * (accepted with the event's global sequence, or rejected with the problem details HTTP would give); a message
 * that cannot be parsed or is refused is also copied to ledger.commands.dlt with the reason in headers. Offsets
 * are committed only once the outcome is stored and both topics acknowledged it; a bad message never stops the
 * consumer, an unreachable database or broker pauses it.
 */
@Component
@ConditionalOnProperty(name = "ledger.ingestion.enabled", havingValue = "true", matchIfMissing = true)
class KafkaCommandIngestion implements SmartLifecycle {

    /** A header earlier senders used for their API key: never copied anywhere (the topic names the sender now). */
    static final String API_KEY = "ledger-api-key";
    static final String IDEMPOTENCY_KEY = "ledger-idempotency-key";
    static final String OCCURRED_AT = "ledger-occurred-at";
    /** Header of a correction of a closed reporting period: why it is made (see CommandDispatch.Sent). */
    static final String CORRECTION_REASON = "ledger-correction-reason";
    static final String DLT_STATUS = "ledger-dlt-status";
    static final String DLT_CODE = "ledger-dlt-code";
    static final String DLT_REASON = "ledger-dlt-reason";
    static final String DLT_SOURCE = "ledger-dlt-source";

    private static final Logger log = LoggerFactory.getLogger(KafkaCommandIngestion.class);

    /** What became of one message: accepted (with its answer) or rejected (with the problem). */
    record Outcome(ConsumerRecord<String, byte[]> source, String idempotencyKey, String activityId,
                   Long version, Long globalSequence, ProblemDetail problem) {

        boolean accepted() {
            return problem == null;
        }
    }

    private final IngestionProperties properties;
    private final KafkaClients kafka;
    private final BrokerLogins logins;
    private final Pattern agencyTopics;
    private final CommandDispatch dispatch;
    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final ExecutorService workers;
    private final IngestionMeters meters;
    private volatile boolean running;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread worker;

    KafkaCommandIngestion(IngestionProperties properties, KafkaClients kafka, BrokerLogins logins,
                          CommandDispatch dispatch, JdbcTemplate jdbc, ObjectMapper json, IngestionMeters meters) {
        this.properties = properties;
        this.kafka = kafka;
        this.logins = logins;
        // Agency codes are capitals, digits and _: the dead-letter topic (lower case) is not among them.
        this.agencyTopics = Pattern.compile(Pattern.quote(properties.topicPrefix()) + "[A-Z][A-Z0-9_]{1,31}");
        this.dispatch = dispatch;
        this.jdbc = jdbc;
        this.json = json;
        this.meters = meters;
        this.workers = Executors.newFixedThreadPool(Math.max(1, properties.partitions()), runnable -> {
            Thread thread = new Thread(runnable, "ledger-command-ingestion-worker");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public void start() {
        running = true;
        worker = new Thread(this::consumeUntilStopped, "ledger-command-ingestion");
        worker.start();
    }

    @Override
    public void stop() {
        running = false;
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        try {
            worker.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.shutdown();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    // After the rest of the application (Axon, the database) is up, and stopped before it.
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 100;
    }

    private void consumeUntilStopped() {
        while (running) {
            try (KafkaProducer<String, byte[]> producer = producer();
                 KafkaConsumer<String, byte[]> opened = consumer()) {
                kafka.createTopicsIfMissing(List.of(properties.resultsTopic(), properties.deadLetterTopic()),
                        properties.partitions(), Duration.ofSeconds(10));
                consumer = opened;
                opened.subscribe(agencyTopics);
                while (running) {
                    ConsumerRecords<String, byte[]> records = opened.poll(Duration.ofMillis(500));
                    if (!records.isEmpty()) {
                        handleBatch(records, producer, opened);
                    }
                }
            } catch (WakeupException stopping) {
                // stop() woke the consumer up
            } catch (Exception failure) {
                // Nothing of the batch was committed: its messages come again, and the stored answers make
                // the ones already applied come out the same without being applied twice.
                log.warn("Command ingestion paused, retrying in {}: {}", properties.retryBackoff(), failure.toString());
                meters.paused();
                sleep(properties.retryBackoff());
            } finally {
                consumer = null;
            }
        }
    }

    private void handleBatch(ConsumerRecords<String, byte[]> records, KafkaProducer<String, byte[]> producer,
                             KafkaConsumer<String, byte[]> opened) throws Exception {
        // Partitions are handled side by side, each in its order: one activity's commands share a partition, so
        // they still apply one after the other.
        Map<TopicPartition, Future<List<Outcome>>> byPartition = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> inOrder = records.records(partition);
            byPartition.put(partition, workers.submit(() -> handleInOrder(inOrder)));
        }
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        Map<TopicPartition, OffsetAndMetadata> handled = new HashMap<>();
        List<Outcome> all = new ArrayList<>();
        for (Map.Entry<TopicPartition, Future<List<Outcome>>> partition : byPartition.entrySet()) {
            List<Outcome> outcomes = outcomeOf(partition.getValue());
            all.addAll(outcomes);
            for (Outcome outcome : outcomes) {
                sends.add(producer.send(result(outcome)));
                if (!outcome.accepted()) {
                    sends.add(producer.send(deadLetter(outcome)));
                }
            }
            handled.put(partition.getKey(),
                    new OffsetAndMetadata(outcomes.get(outcomes.size() - 1).source().offset() + 1));
        }
        for (Future<RecordMetadata> send : sends) {
            send.get(30, TimeUnit.SECONDS);
        }
        // Only now, with every outcome stored and acknowledged, may these messages count as handled.
        opened.commitSync(handled);
        meters.handled(all);
    }

    // An outage in one partition's worker pauses the whole batch: nothing of it is committed.
    private static List<Outcome> outcomeOf(Future<List<Outcome>> partition) throws Exception {
        try {
            return partition.get();
        } catch (ExecutionException failed) {
            throw failed.getCause() instanceof Exception cause ? cause : failed;
        }
    }

    /**
     * A partition's messages, in their order: all submitted at once, so they share the group commit's batches (and
     * run in that order), then their outcomes taken one by one. One that failed for a reason not its sender's is
     * tried again alone, up to ledger.ingestion.max-attempts; an outage propagates and pauses the loop.
     */
    List<Outcome> handleInOrder(List<ConsumerRecord<String, byte[]>> inOrder) {
        List<String> keys = inOrder.stream().map(KafkaCommandIngestion::idempotencyKey).toList();
        // The sender's correlation id (or a new one): in the MDC while its message is handled, and in its events.
        List<String> correlationIds = inOrder.stream()
                .map(record -> Correlation.accepted(header(record, Correlation.KAFKA_HEADER))).toList();
        List<CompletableFuture<Outcome>> submitted = new ArrayList<>();
        for (int i = 0; i < inOrder.size(); i++) {
            ConsumerRecord<String, byte[]> record = inOrder.get(i);
            String key = keys.get(i);
            CompletableFuture<Outcome> outcome;
            try (Correlation.Scope scope = Correlation.open(correlationIds.get(i))) {
                outcome = start(record, key);
            } catch (RuntimeException failure) {
                outcome = CompletableFuture.failedFuture(failure);
            }
            submitted.add(outcome);
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < inOrder.size(); i++) {
            try {
                outcomes.add(submitted.get(i).join());
            } catch (CompletionException failed) {
                try (Correlation.Scope scope = Correlation.open(correlationIds.get(i))) {
                    outcomes.add(settle(inOrder.get(i), keys.get(i), cause(failed), 1));
                }
            }
        }
        return withGlobalSequences(outcomes);
    }

    private Outcome settle(ConsumerRecord<String, byte[]> record, String idempotencyKey, RuntimeException failure,
                           int attempt) {
        for (RuntimeException last = failure; ; attempt++) {
            if (last instanceof DataAccessException || last instanceof TransactionException) {
                // Not the message's fault: the whole batch pauses and comes again, nothing is dead-lettered.
                throw last;
            }
            Optional<ProblemDetail> problem = Problems.describe(last);
            if (problem.isPresent()) {
                return rejected(record, idempotencyKey, problem.get());
            }
            if (attempt >= properties.maxAttempts()) {
                log.error("Command message {}-{}@{} failed {} times; dead-lettered", record.topic(),
                        record.partition(), record.offset(), attempt, last);
                return rejected(record, idempotencyKey, Problems.problem(HttpStatus.INTERNAL_SERVER_ERROR,
                        "internal-error", "Internal error", "the ledger could not handle this command after "
                                + attempt + " tries; nothing was stored: " + last));
            }
            sleep(properties.retryBackoff());
            try {
                return start(record, idempotencyKey).join();
            } catch (RuntimeException again) {
                last = cause(again);
            }
        }
    }

    /** What a command's future failed with: the command's own exception, not the future's wrapper. */
    private static RuntimeException cause(RuntimeException failed) {
        return failed instanceof CompletionException && failed.getCause() instanceof RuntimeException runtime
                ? runtime : failed;
    }

    private static String idempotencyKey(ConsumerRecord<String, byte[]> record) {
        return Optional.ofNullable(header(record, IDEMPOTENCY_KEY))
                .orElse("kafka:" + record.topic() + "-" + record.partition() + "-" + record.offset());
    }

    /** Refuses at once what can be refused without the ledger; submits the rest to the group commit. */
    private CompletableFuture<Outcome> start(ConsumerRecord<String, byte[]> record, String idempotencyKey) {
        String agency = record.topic().substring(properties.topicPrefix().length());
        Optional<java.time.Instant> revoked = logins.revokedAt(agency);
        if (revoked.isPresent()) {
            return CompletableFuture.completedFuture(rejected(record, idempotencyKey, Problems.problem(
                    HttpStatus.UNAUTHORIZED, "unauthenticated", "Login revoked", "the Kafka login of " + agency
                            + " was revoked at " + revoked.get() + ": its messages are no longer taken")));
        }
        // The coordinators' topic (ledger.commands.COORDINATOR; no agency may bear that code) speaks for the role.
        Caller caller = AccessRole.COORDINATOR.name().equals(agency)
                ? new Caller("kafka:" + BrokerLogins.username(agency), AccessRole.COORDINATOR, null)
                : new Caller("kafka:" + BrokerLogins.username(agency), AccessRole.AGENCY, agency);
        CommandMessages.Parsed parsed;
        try {
            parsed = CommandMessages.parse(record.key(), record.value(), json);
        } catch (IOException unreadable) {
            return CompletableFuture.completedFuture(rejected(record, idempotencyKey, Problems.malformed(unreadable)));
        }
        boolean proposal = parsed.command() instanceof ProposeActivity;
        CommandDispatch.Sent sent = new CommandDispatch.Sent(idempotencyKey, header(record, OCCURRED_AT),
                header(record, CORRECTION_REASON));
        return dispatch.submit(caller, sent,
                "KAFKA " + record.topic() + " " + parsed.type(), parsed.body(), parsed.command(),
                result -> proposal
                        ? CommandOutcome.created(URI.create("/api/activities/" + parsed.target()),
                                Map.of("activityId", parsed.target(), "version", 0L))
                        : CommandOutcome.ok(Map.of("activityId", parsed.target(), "version", result)))
                .thenApply(answer -> new Outcome(record, idempotencyKey, parsed.target(),
                        answer.body().path("version").asLong(), null, null));
    }

    /** The accepted outcomes with the global sequence of the event each stored: one query for the whole list. */
    private List<Outcome> withGlobalSequences(List<Outcome> outcomes) {
        List<Outcome> accepted = outcomes.stream().filter(Outcome::accepted).toList();
        if (accepted.isEmpty()) {
            return outcomes;
        }
        Map<String, Long> sequences = new HashMap<>();
        jdbc.query("SELECT e.aggregateidentifier, e.sequencenumber, e.globalindex FROM domainevententry e"
                        + " JOIN unnest(?::text[], ?::bigint[]) AS w(id, seq)"
                        + " ON e.aggregateidentifier = w.id AND e.sequencenumber = w.seq",
                row -> {
                    sequences.put(row.getString(1) + "#" + row.getLong(2), row.getLong(3));
                },
                accepted.stream().map(Outcome::activityId).toArray(String[]::new),
                accepted.stream().map(Outcome::version).toArray(Long[]::new));
        return outcomes.stream().map(outcome -> outcome.accepted()
                ? new Outcome(outcome.source(), outcome.idempotencyKey(), outcome.activityId(), outcome.version(),
                        sequences.get(outcome.activityId() + "#" + outcome.version()), null)
                : outcome).toList();
    }

    private static Outcome rejected(ConsumerRecord<String, byte[]> record, String idempotencyKey,
                                    ProblemDetail problem) {
        return new Outcome(record, idempotencyKey, record.key(), null, null, problem);
    }

    private ProducerRecord<String, byte[]> result(Outcome outcome) throws IOException {
        ObjectNode result = json.createObjectNode();
        result.put("status", outcome.accepted() ? "ACCEPTED" : "REJECTED");
        result.put("idempotencyKey", outcome.idempotencyKey());
        result.put("activityId", outcome.activityId());
        if (outcome.accepted()) {
            result.put("version", outcome.version());
            result.put("globalSequence", outcome.globalSequence());
        } else {
            result.set("problem", json.valueToTree(outcome.problem()));
        }
        ObjectNode source = result.putObject("source");
        source.put("topic", outcome.source().topic());
        source.put("partition", outcome.source().partition());
        source.put("offset", outcome.source().offset());
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(properties.resultsTopic(),
                outcome.source().key(), json.writeValueAsBytes(result));
        record.headers().add(IDEMPOTENCY_KEY, outcome.idempotencyKey().getBytes(StandardCharsets.UTF_8));
        return record;
    }

    /** The message as it came (but never its API key), with why it was refused and where it came from. */
    private ProducerRecord<String, byte[]> deadLetter(Outcome outcome) {
        ConsumerRecord<String, byte[]> source = outcome.source();
        ProducerRecord<String, byte[]> copy = new ProducerRecord<>(properties.deadLetterTopic(), source.key(),
                source.value());
        for (Header header : source.headers()) {
            if (!header.key().equals(API_KEY)) {
                copy.headers().add(header);
            }
        }
        ProblemDetail problem = outcome.problem();
        copy.headers().add(DLT_STATUS, Integer.toString(problem.getStatus()).getBytes(StandardCharsets.UTF_8));
        copy.headers().add(DLT_CODE, String.valueOf(problem.getProperties() == null ? "" :
                problem.getProperties().get("code")).getBytes(StandardCharsets.UTF_8));
        copy.headers().add(DLT_REASON, String.valueOf(problem.getDetail()).getBytes(StandardCharsets.UTF_8));
        copy.headers().add(DLT_SOURCE, (source.topic() + "/" + source.partition() + "/" + source.offset())
                .getBytes(StandardCharsets.UTF_8));
        copy.headers().add(IDEMPOTENCY_KEY, outcome.idempotencyKey().getBytes(StandardCharsets.UTF_8));
        return copy;
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null
                : new String(header.value(), StandardCharsets.UTF_8).strip();
    }

    private KafkaConsumer<String, byte[]> consumer() {
        Properties config = kafka.config("ledger-command-ingestion");
        config.put(ConsumerConfig.GROUP_ID_CONFIG, properties.groupId());
        // A newly registered agency's topic is picked up within seconds.
        config.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 5000);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private KafkaProducer<String, byte[]> producer() {
        Properties config = kafka.config("ledger-command-results");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
