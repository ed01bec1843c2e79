package org.convergenceledger.command.ingestion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.convergenceledger.command.access.BrokerLogins;
import org.convergenceledger.command.system.CommandDispatch;
import org.convergenceledger.command.system.KafkaClients;
import org.convergenceledger.events.activity.CancelActivity;
import org.convergenceledger.events.json.LedgerJson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.json.ProblemDetailJacksonMixin;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The ingestion's container, listener, error handler and dead-letter recoverer against a real (in-process) broker,
 * with the ledger behind CommandDispatch scripted: what is retried, for how long, and what ends in the dead-letter
 * topic with which headers.
 */
class KafkaIngestionTest {

    private static final int MAX_ATTEMPTS = 2;
    private static final Duration BACKOFF = Duration.ofMillis(100);
    private static final String AGENCY = "ANAPEC";
    private static final ObjectMapper JSON = LedgerJson.newObjectMapper()
            .addMixIn(ProblemDetail.class, ProblemDetailJacksonMixin.class);
    private static final AtomicInteger RUNS = new AtomicInteger();

    private static EmbeddedKafkaKraftBroker broker;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final CommandDispatch dispatch = mock(CommandDispatch.class);
    /** What the ledger does with each activity's commands, in turn: a failure to throw, or null to accept. */
    private final Map<String, Deque<RuntimeException>> script = new ConcurrentHashMap<>();
    private final List<String> submitted = new CopyOnWriteArrayList<>();
    private IngestionProperties properties;
    private ConcurrentMessageListenerContainer<String, byte[]> container;
    private DefaultKafkaProducerFactory<String, byte[]> producers;

    @BeforeAll
    static void startBroker() {
        broker = new EmbeddedKafkaKraftBroker(1, 1);
        broker.afterPropertiesSet();
    }

    @AfterAll
    static void stopBroker() {
        broker.destroy();
    }

    @BeforeEach
    void newTopicsAndAScriptedLedger() {
        int run = RUNS.incrementAndGet();
        properties = new IngestionProperties(true, "t" + run + ".commands.", "t" + run + ".results",
                "t" + run + ".commands.dlt", "t" + run + "-ingestion", 1, MAX_ATTEMPTS, BACKOFF);
        broker.addTopics(properties.topicPrefix() + AGENCY, properties.resultsTopic(), properties.deadLetterTopic());
        when(dispatch.submit(any(), any(), anyString(), any(), any(), any())).thenAnswer(call -> {
            String id = ((CancelActivity) call.getArgument(4)).activityId();
            submitted.add(id);
            RuntimeException failure = script.getOrDefault(id, new ArrayDeque<>()).poll();
            return failure == null ? CompletableFuture.completedFuture(accepted(id))
                    : CompletableFuture.failedFuture(failure);
        });
    }

    @AfterEach
    void stopIngestion() {
        if (container != null) {
            container.stop();
            producers.destroy();
        }
    }

    @Test
    void aRefusedMessageIsAnsweredAndDeadLetteredWithItsReasonButNeverItsApiKey() throws Exception {
        startIngestion();
        ProducerRecord<String, byte[]> message = message(AGENCY + ":bad", "{\"type\": \"CancelActivity\", \"comm");
        message.headers().add(ReceivedCommand.API_KEY, "secret".getBytes(StandardCharsets.UTF_8));
        message.headers().add("ledger-correlation-id", "corr-1".getBytes(StandardCharsets.UTF_8));
        send(message);

        Received received = receive(1, 1);
        ConsumerRecord<String, byte[]> result = received.results().get(0);
        assertThat(JSON.readTree(result.value()).path("status").asText()).isEqualTo("REJECTED");
        assertThat(JSON.readTree(result.value()).path("problem").path("code").asText()).isEqualTo("malformed-body");
        assertThat(header(result, "ledger-correlation-id")).isEqualTo("corr-1");
        ConsumerRecord<String, byte[]> dead = received.deadLetters().get(0);
        assertThat(dead.key()).isEqualTo(AGENCY + ":bad");
        assertThat(header(dead, DeadLetters.CODE)).isEqualTo("malformed-body");
        assertThat(header(dead, DeadLetters.STATUS)).isEqualTo("400");
        assertThat(header(dead, DeadLetters.REASON)).isNotBlank();
        assertThat(header(dead, DeadLetters.SOURCE)).isEqualTo(message.topic() + "/0/0");
        assertThat(header(dead, "ledger-correlation-id")).isEqualTo("corr-1");
        assertThat(dead.headers().headers(ReceivedCommand.IDEMPOTENCY_KEY)).hasSize(1);
        assertThat(dead.headers().lastHeader(ReceivedCommand.API_KEY)).isNull();
        assertThat(dead.headers().lastHeader("kafka_dlt-exception-stacktrace")).isNull();
        assertThat(counter("ledger.ingestion.dead.letters")).isEqualTo(1.0);
    }

    @Test
    void anOutageIsRetriedUntilItEndsAndNothingIsDeadLettered() throws Exception {
        String id = AGENCY + ":outage";
        failNext(id, outage(), outage(), outage(), outage());
        startIngestion();
        send(message(id, cancel(id)));

        Received received = receive(1, 0);
        assertThat(JSON.readTree(received.results().get(0).value()).path("status").asText()).isEqualTo("ACCEPTED");
        assertThat(submitted).containsOnly(id).hasSize(5);
        assertThat(counter("ledger.ingestion.pauses")).isEqualTo(4.0);
        assertThat(counter("ledger.ingestion.dead.letters")).isZero();
    }

    @Test
    void anOutageAfterAFailedAttemptIsStillNeverDeadLettered() throws Exception {
        String id = AGENCY + ":fault-then-outage";
        failNext(id, new IllegalStateException("a fault"), outage(), outage(), outage());
        startIngestion();
        send(message(id, cancel(id)));

        Received received = receive(1, 0);
        assertThat(JSON.readTree(received.results().get(0).value()).path("status").asText()).isEqualTo("ACCEPTED");
        assertThat(submitted).hasSize(5);
    }

    @Test
    void aMessageThatKeepsFailingIsTriedMaxAttemptsTimesThenDeadLetteredAsInternalErrorAndTheNextGoOn()
            throws Exception {
        String failing = AGENCY + ":failing";
        String next = AGENCY + ":next";
        // An outage first: its retries do not count among the message's own attempts.
        failNext(failing, outage(), new IllegalStateException("a fault"), new IllegalStateException("a fault"),
                new IllegalStateException("never reached"));
        startIngestion();
        send(message(failing, cancel(failing)));
        send(message(next, cancel(next)));

        Received received = receive(2, 1);
        Map<String, JsonNode> results = new ConcurrentHashMap<>();
        for (ConsumerRecord<String, byte[]> result : received.results()) {
            results.put(result.key(), JSON.readTree(result.value()));
        }
        assertThat(results.get(failing).path("status").asText()).isEqualTo("REJECTED");
        assertThat(results.get(failing).path("problem").path("code").asText()).isEqualTo("internal-error");
        assertThat(results.get(next).path("status").asText()).isEqualTo("ACCEPTED");
        assertThat(submitted.stream().filter(failing::equals)).hasSize(1 + MAX_ATTEMPTS);
        assertThat(header(received.deadLetters().get(0), DeadLetters.CODE)).isEqualTo("internal-error");
    }

    @Test
    void aPollsMessagesAreSubmittedTogetherInTheirOrder() throws Exception {
        List<CompletableFuture<CommandDispatch.Answer>> answers = new CopyOnWriteArrayList<>();
        int count = 20;
        // Answers come only once every message was submitted: a listener waiting for each in turn would never end.
        doAnswer(call -> {
            String id = ((CancelActivity) call.getArgument(4)).activityId();
            submitted.add(id);
            CompletableFuture<CommandDispatch.Answer> answer = new CompletableFuture<>();
            answers.add(answer);
            if (answers.size() == count) {
                answers.forEach(each -> each.complete(accepted(id)));
            }
            return answer;
        }).when(dispatch).submit(any(), any(), anyString(), any(), any(), any());
        List<String> ids = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (int i = 0; i < count; i++) {
                String id = AGENCY + ":batch-" + i;
                ids.add(id);
                producer.send(message(id, cancel(id)));
            }
        }
        startIngestion();

        assertThat(receive(count, 0).results()).hasSize(count);
        assertThat(submitted).containsExactlyElementsOf(ids);
    }

    private void startIngestion() {
        KafkaClients kafka = mock(KafkaClients.class);
        when(kafka.config(anyString())).thenAnswer(call -> {
            Properties config = new Properties();
            config.put("bootstrap.servers", broker.getBrokersAsString());
            config.put("client.id", call.getArgument(0));
            return config;
        });
        IngestionConfiguration configuration = new IngestionConfiguration();
        producers = configuration.ingestionProducers(kafka);
        container = configuration.commandIngestion(properties, kafka, configuration.ingestionTopics(kafka, properties),
                producers, mock(BrokerLogins.class), dispatch, mock(JdbcTemplate.class), JSON,
                new IngestionMeters(registry));
        container.start();
    }

    private void failNext(String activityId, RuntimeException... failures) {
        script.put(activityId, new ArrayDeque<>(List.of(failures)));
    }

    private static RuntimeException outage() {
        return new CannotGetJdbcConnectionException("the database is down");
    }

    private static CommandDispatch.Answer accepted(String activityId) {
        return new CommandDispatch.Answer(200, JSON.valueToTree(Map.of("activityId", activityId, "version", 1L)),
                null);
    }

    private double counter(String name) {
        return registry.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private static String cancel(String activityId) {
        return "{\"type\": \"CancelActivity\", \"command\": {\"activityId\": \"" + activityId
                + "\", \"cancelledOn\": \"2024-03-01\", \"reason\": \"a test\"}}";
    }

    private ProducerRecord<String, byte[]> message(String key, String value) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(properties.topicPrefix() + AGENCY, key,
                value.getBytes(StandardCharsets.UTF_8));
        record.headers().add(ReceivedCommand.IDEMPOTENCY_KEY, ("key-" + key).getBytes(StandardCharsets.UTF_8));
        return record;
    }

    private void send(ProducerRecord<String, byte[]> record) throws Exception {
        try (KafkaProducer<String, byte[]> producer = producer()) {
            producer.send(record).get();
        }
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()),
                new StringSerializer(), new ByteArraySerializer());
    }

    record Received(List<ConsumerRecord<String, byte[]>> results, List<ConsumerRecord<String, byte[]>> deadLetters) {
    }

    /** Reads the results and dead-letter topics until that many records are on each, then a moment more. */
    private Received receive(int results, int deadLetters) {
        Received received = new Received(new ArrayList<>(), new ArrayList<>());
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + properties.groupId(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(properties.resultsTopic(), properties.deadLetterTopic()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            long settledAt = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settledAt)) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    (record.topic().equals(properties.resultsTopic()) ? received.results() : received.deadLetters())
                            .add(record);
                }
                if (settledAt == Long.MAX_VALUE && received.results().size() >= results
                        && received.deadLetters().size() >= deadLetters) {
                    // Long enough for a wrong extra result or dead letter to show.
                    settledAt = System.nanoTime() + BACKOFF.multipliedBy(2 * MAX_ATTEMPTS).toNanos();
                }
            }
        }
        assertThat(received.results()).as("results").hasSize(results);
        assertThat(received.deadLetters()).as("dead letters").hasSize(deadLetters);
        return received;
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
