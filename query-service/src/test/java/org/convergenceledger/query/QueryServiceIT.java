package org.convergenceledger.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.serialization.Serializer;
import org.convergenceledger.events.activity.ActivityCommitted;
import org.convergenceledger.events.activity.ActivityCompleted;
import org.convergenceledger.events.activity.ActivityProposed;
import org.convergenceledger.events.activity.ActivityStarted;
import org.convergenceledger.events.agency.AgencyKind;
import org.convergenceledger.events.agency.AgencyRegistered;
import org.convergenceledger.events.axis.AxisDefined;
import org.convergenceledger.events.common.BudgetSplit;
import org.convergenceledger.events.common.Money;
import org.convergenceledger.events.common.Partner;
import org.convergenceledger.events.common.PartnerRole;
import org.convergenceledger.events.common.Period;
import org.convergenceledger.query.projection.Projections;
import org.convergenceledger.stack.LedgerBrokerAccess;
import org.convergenceledger.stack.LocalKafka;
import org.convergenceledger.stack.LocalPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.convergenceledger.events.access.AccessRole;
import org.convergenceledger.events.access.ApiKeyIssued;
import org.convergenceledger.events.access.ApiKeyRevoked;
import org.convergenceledger.events.access.Credentials;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The query service against a real PostgreSQL and a real KRaft broker, fed records made exactly as command-service
 * publishes them. One Spring context for every test; each test uses its own activities and axes.
 */
@SpringBootTest(
        classes = QueryServiceApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "spring.config.name=query-service",
                "logging.level.kafka=WARN",
                "logging.level.state.change.logger=WARN",
                "logging.level.org.apache.kafka=WARN",
                "logging.level.org.axonframework.extensions.kafka=WARN"
        })
class QueryServiceIT {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final Instant T0 = Instant.parse("2024-03-01T09:00:00Z");
    private static final AtomicLong GLOBAL_SEQUENCE = new AtomicLong();

    private static final Path STACK_DIR;
    private static final LocalPostgres POSTGRES;
    private static final LocalKafka KAFKA;
    private static final Map<String, String> LOGINS;

    // Started once per JVM and shared by the one Spring context.
    static {
        try {
            // Under target/: a fresh stack each run, gone with mvn clean. Both die with the JVM (zonky's hook).
            Path target = Files.createDirectories(Path.of("target"));
            STACK_DIR = Files.createTempDirectory(target, "it-stack-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        POSTGRES = LocalPostgres.start(STACK_DIR.resolve("postgres"), 0);
        POSTGRES.createDatabaseIfMissing("ledger_query");
        KAFKA = LocalKafka.start(STACK_DIR.resolve("kafka"), 0);
        // Closed as the local stack closes it: the ledger's topics made up front, a login for each service; this
        // test publishes as the command service would, the service under test reads as ledger-query.
        LOGINS = LedgerBrokerAccess.passwords(STACK_DIR.resolve("kafka-logins.env"));
        LedgerBrokerAccess.grant(KAFKA, LOGINS, 3);
    }

    private static String scram(String user) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + LOGINS.get(user) + "\";";
    }

    @DynamicPropertySource
    static void stack(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> POSTGRES.jdbcUrl("ledger_query"));
        registry.add("spring.datasource.username", POSTGRES::username);
        registry.add("spring.datasource.password", POSTGRES::password);
        registry.add("axon.kafka.bootstrap-servers", KAFKA::bootstrapServers);
        registry.add("axon.kafka.properties[sasl.jaas.config]", () -> scram(LedgerBrokerAccess.QUERY_SERVICE));
    }

    @AfterAll
    static void closeProducer() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }

    private static KafkaProducer<String, byte[]> producer;

    @Autowired
    TestRestTemplate http;
    @Autowired
    ObjectMapper objectMapper;
    @Autowired
    Serializer serializer;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    EventProcessingConfiguration processing;

    private LedgerRecords records() {
        return new LedgerRecords(serializer);
    }

    private static synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                    "security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "SCRAM-SHA-256",
                    "sasl.jaas.config", scram(LedgerBrokerAccess.COMMAND_SERVICE)),
                    new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    private static void send(ProducerRecord<String, byte[]> record) {
        try {
            producer().send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException("could not publish", e);
        }
    }

    private static long nextSequence() {
        return GLOBAL_SEQUENCE.incrementAndGet();
    }

    private static ActivityProposed proposal(String id, String lead, String axis, String region, Money budget) {
        return new ActivityProposed(id, lead, "Activity " + id, "Integration test activity", List.of(axis),
                List.of(region), List.of("YOUTH", "JOB_SEEKERS"),
                new Period(LocalDate.of(2024, 3, 1), LocalDate.of(2025, 2, 28)), budget,
                BudgetSplit.proRata(new Period(LocalDate.of(2024, 3, 1), LocalDate.of(2025, 2, 28)), budget),
                List.of(new Partner("GIZ", PartnerRole.FUNDING)));
    }

    private static String auditorKey;

    /**
     * An AUDITOR key, issued the way the command service does it: an ApiKeyIssued event on the topic. The query
     * side learns it like any other fact; it works once the audit-history processor has applied it.
     */
    private synchronized String auditorKey() {
        if (auditorKey == null) {
            Credentials.Issued issued = Credentials.issue();
            send(records().record("ApiKey", "key:" + issued.keyId(), 0, new ApiKeyIssued(issued.keyId(), null,
                    AccessRole.AUDITOR, "query-service IT", issued.credentialHash()), nextSequence(), "SYSTEM", T0));
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (exchange("/api/audit/activities/NOBODY:NOTHING/history", issued.apiKey()).getStatusCode()
                    .value() == 401) {
                assertThat(System.nanoTime()).as("the issued key reached the query side").isLessThan(deadline);
                sleep(100);
            }
            auditorKey = issued.apiKey();
        }
        return auditorKey;
    }

    private static String adminKey;

    /** An ADMIN key, issued as the auditor's is; it works once the query side has applied it. */
    private synchronized String adminKey() {
        if (adminKey == null) {
            Credentials.Issued admin = Credentials.issue();
            send(records().record("ApiKey", "key:" + admin.keyId(), 0, new ApiKeyIssued(admin.keyId(), null,
                    AccessRole.ADMIN, "query-service IT admin", admin.credentialHash()), nextSequence(), "SYSTEM",
                    T0));
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (exchange("/api/admin/projections/activity-view/rebuild", admin.apiKey()).getStatusCode()
                    .value() == 401) {
                assertThat(System.nanoTime()).as("the admin key reached the query side").isLessThan(deadline);
                sleep(100);
            }
            adminKey = admin.apiKey();
        }
        return adminKey;
    }

    /** GET with a key: the audit endpoints need an AUDITOR's; everything else is public. */
    private ResponseEntity<String> exchange(String path, String apiKey) {
        HttpHeaders headers = new HttpHeaders();
        if (apiKey != null) {
            headers.setBearerAuth(apiKey);
        }
        return http.exchange(path, HttpMethod.GET, new HttpEntity<>(headers), String.class);
    }

    private ResponseEntity<String> read(String path) {
        return exchange(path, path.startsWith("/api/audit/") ? auditorKey() : null);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theAuditEndpointsNeedALiveAuditorKeyAndPublicReadsNone() {
        String key = auditorKey();
        assertThat(exchange("/api/audit/activities/NOBODY:NOTHING/history", null).getStatusCode().value())
                .isEqualTo(401);
        assertThat(exchange("/api/audit/activities/NOBODY:NOTHING/history", key).getStatusCode().value())
                .isEqualTo(404);
        assertThat(exchange("/api/convergence/axes", null).getStatusCode().value()).isEqualTo(200);
        // A key that is not one, even on a public read, is refused rather than ignored.
        ResponseEntity<String> forged = exchange("/api/convergence/axes", Credentials.issue().apiKey());
        assertThat(forged.getStatusCode().value()).isEqualTo(401);
        assertThat(forged.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);

        Credentials.Issued revoked = Credentials.issue();
        send(records().record("ApiKey", "key:" + revoked.keyId(), 0, new ApiKeyIssued(revoked.keyId(), null,
                AccessRole.AUDITOR, "to be revoked", revoked.credentialHash()), nextSequence(), "SYSTEM", T0));
        send(records().record("ApiKey", "key:" + revoked.keyId(), 1, new ApiKeyRevoked(revoked.keyId(), "left"),
                nextSequence(), "ADMIN", T0));
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        // Issued then revoked: it must end refused (it may work for the instant between the two events).
        while (exchange("/api/audit/activities/NOBODY:NOTHING/history", revoked.apiKey()).getStatusCode().value()
                != 401 || jdbc.queryForObject("SELECT count(*) FROM access_key WHERE key_id = ? AND revoked",
                Integer.class, revoked.keyId()) == 0) {
            assertThat(System.nanoTime()).as("the revocation reached the query side").isLessThan(deadline);
            sleep(100);
        }
        assertThat(exchange("/api/audit/activities/NOBODY:NOTHING/history", revoked.apiKey()).getStatusCode()
                .value()).isEqualTo(401);
    }

    private JsonNode get(String path) {
        ResponseEntity<String> response = read(path);
        assertThat(response.getStatusCode().value()).as("GET %s: %s", path, response.getBody()).isEqualTo(200);
        return json(response.getBody());
    }

    private JsonNode json(String body) {
        try {
            return objectMapper.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // Reads path until the answer satisfies the condition: projections are eventually consistent.
    private JsonNode await(String path, Predicate<JsonNode> condition) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            ResponseEntity<String> response = read(path);
            if (response.getStatusCode().is2xxSuccessful()) {
                last = json(response.getBody());
                if (condition.test(last)) {
                    return last;
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("GET " + path + " did not reach the expected state in " + PATIENCE
                + "; last: " + last);
    }

    private static Predicate<JsonNode> asOf(long globalSequence) {
        return body -> body.path("asOfSequence").asLong(-1) >= globalSequence;
    }

    private static JsonNode axis(JsonNode convergence, String code) {
        for (JsonNode axis : convergence.path("axes")) {
            if (code.equals(axis.path("code").asText())) {
                return axis;
            }
        }
        return null;
    }

    @Test
    void aLifecycleShowsInTheViewTheSummaryAndTheHistory() {
        LedgerRecords records = records();
        String id = "ANAPEC:IT-LIFE-1";
        String axisCode = "IT_LIFECYCLE";
        send(records.record("Agency", "ANAPEC", 0, new AgencyRegistered("ANAPEC", "Agence nationale",
                AgencyKind.PUBLIC_AGENCY), nextSequence(), "admin", T0));
        send(records.record("Axis", axisCode, 0, new AxisDefined(axisCode, "Lifecycle axis", "For the test"),
                nextSequence(), "admin", T0));

        long proposedAt = nextSequence();
        send(records.activity(proposal(id, "ANAPEC", axisCode, "RABAT_SALE_KENITRA", Money.of("1250000.00", "MAD")),
                0, proposedAt, "ANAPEC", T0.plusSeconds(10)));
        JsonNode proposed = await("/api/activities/" + id, asOf(proposedAt));
        assertThat(proposed.path("state").asText()).isEqualTo("PROPOSED");
        assertThat(proposed.path("version").asLong()).isZero();

        long committedAt = nextSequence();
        send(records.activity(new ActivityCommitted(id, Money.of("110000.00", "EUR"), LocalDate.of(2024, 2, 20)),
                1, committedAt, "ANAPEC", T0.plusSeconds(20)));
        JsonNode committed = await("/api/activities/" + id, asOf(committedAt));
        assertThat(committed.path("state").asText()).isEqualTo("COMMITTED");
        assertThat(committed.path("asOfSequence").asLong()).isGreaterThan(proposed.path("asOfSequence").asLong());

        long startedAt = nextSequence();
        send(records.activity(new ActivityStarted(id, LocalDate.of(2024, 3, 4)), 2, startedAt, "GIZ",
                T0.plusSeconds(30)));
        assertThat(await("/api/activities/" + id, asOf(startedAt)).path("state").asText()).isEqualTo("STARTED");

        long completedAt = nextSequence();
        send(records.activity(new ActivityCompleted(id, LocalDate.of(2025, 2, 27), Money.of("1187450.50", "MAD"),
                412), 3, completedAt, "ANAPEC", T0.plusSeconds(40)));
        JsonNode completed = await("/api/activities/" + id, asOf(completedAt));

        assertThat(completed.path("id").asText()).isEqualTo(id);
        assertThat(completed.path("state").asText()).isEqualTo("COMPLETED");
        assertThat(completed.path("leadAgency").asText()).isEqualTo("ANAPEC");
        assertThat(completed.path("partners").get(0).path("agency").asText()).isEqualTo("GIZ");
        assertThat(completed.path("partners").get(0).path("role").asText()).isEqualTo("FUNDING");
        assertThat(completed.path("axes").get(0).asText()).isEqualTo(axisCode);
        assertThat(completed.path("regions").get(0).asText()).isEqualTo("RABAT_SALE_KENITRA");
        assertThat(completed.path("targetGroups")).hasSize(2);
        assertThat(completed.path("plannedPeriod").path("start").asText()).isEqualTo("2024-03-01");
        assertThat(completed.path("plannedPeriod").path("end").asText()).isEqualTo("2025-02-28");
        assertThat(completed.path("plannedBudget").path("amount").decimalValue()).isEqualByComparingTo("1250000.00");
        assertThat(completed.path("plannedBudget").path("currency").asText()).isEqualTo("MAD");
        assertThat(completed.path("committed").path("amount").decimalValue()).isEqualByComparingTo("110000.00");
        assertThat(completed.path("committed").path("currency").asText()).isEqualTo("EUR");
        assertThat(completed.path("committed").path("on").asText()).isEqualTo("2024-02-20");
        assertThat(completed.path("startedOn").asText()).isEqualTo("2024-03-04");
        assertThat(completed.path("completedOn").asText()).isEqualTo("2025-02-27");
        assertThat(completed.path("amountSpent").path("amount").decimalValue()).isEqualByComparingTo("1187450.50");
        assertThat(completed.path("beneficiariesReached").asLong()).isEqualTo(412);
        assertThat(completed.path("version").asLong()).isEqualTo(3);
        assertThat(completed.path("lastGlobalSequence").asLong()).isEqualTo(completedAt);

        JsonNode convergence = await("/api/convergence/axes", asOf(completedAt));
        JsonNode lifecycle = axis(convergence, axisCode);
        assertThat(lifecycle).isNotNull();
        assertThat(lifecycle.path("title").asText()).isEqualTo("Lifecycle axis");
        assertThat(lifecycle.path("activitiesByState").path("COMPLETED").asLong()).isEqualTo(1);
        assertThat(lifecycle.path("activitiesByState").path("PROPOSED").asLong()).isZero();
        assertThat(lifecycle.path("activitiesByState").path("COMMITTED").asLong()).isZero();
        assertThat(lifecycle.path("activitiesByState").path("STARTED").asLong()).isZero();
        assertThat(lifecycle.path("activitiesByAgency").path("ANAPEC").asLong()).isEqualTo(1);
        assertThat(lifecycle.path("plannedBudget").path("MAD").decimalValue()).isEqualByComparingTo("1250000.00");
        assertThat(lifecycle.path("plannedBudget").has("EUR")).isFalse();
        assertThat(lifecycle.path("committedBudget").path("EUR").decimalValue()).isEqualByComparingTo("110000.00");
        assertThat(lifecycle.path("committedBudget").has("MAD")).isFalse();
        assertThat(convergence.path("lastEventAt").asText()).isNotEmpty();

        JsonNode history = await("/api/audit/activities/" + id + "/history", asOf(completedAt));
        JsonNode events = history.path("events");
        assertThat(events).hasSize(4);
        assertThat(events.findValuesAsText("type"))
                .containsExactly("ActivityProposed", "ActivityCommitted", "ActivityStarted", "ActivityCompleted");
        assertThat(events.findValues("globalSequence").stream().map(JsonNode::asLong).toList())
                .containsExactly(proposedAt, committedAt, startedAt, completedAt);
        assertThat(events.findValues("aggregateSequence").stream().map(JsonNode::asLong).toList())
                .containsExactly(0L, 1L, 2L, 3L);
        assertThat(events.findValuesAsText("recordedBy")).containsExactly("ANAPEC", "ANAPEC", "GIZ", "ANAPEC");
        JsonNode start = events.get(2);
        assertThat(Instant.parse(start.path("recordedAt").asText())).isEqualTo(T0.plusSeconds(30));
        assertThat(Instant.parse(start.path("occurredAt").asText())).isEqualTo(T0.plusSeconds(30).minusSeconds(3600));
        assertThat(start.path("idempotencyKey").asText()).isEqualTo("key-" + startedAt);
        assertThat(start.path("eventId").asText()).isNotEmpty();
        assertThat(start.path("payload").path("activityId").asText()).isEqualTo(id);
        assertThat(start.path("payload").path("startedOn").asText()).isEqualTo("2024-03-04");

        assertThat(get("/api/agencies").path("items").findValuesAsText("code")).contains("ANAPEC");
        assertThat(get("/api/axes").path("items").findValuesAsText("code")).contains(axisCode);
    }

    @Test
    void aRedeliveredRecordIsNotAppliedTwice() {
        LedgerRecords records = records();
        String id = "OFPPT:IT-DUP-1";
        String axisCode = "IT_DUPLICATES";
        ProducerRecord<String, byte[]> proposal = records.activity(
                proposal(id, "OFPPT", axisCode, "ORIENTAL", Money.of("500000.00", "MAD")), 0, nextSequence(),
                "OFPPT", T0);
        ProducerRecord<String, byte[]> commitment = records.activity(
                new ActivityCommitted(id, Money.of("450000.00", "MAD"), LocalDate.of(2024, 4, 1)), 1, nextSequence(),
                "OFPPT", T0.plusSeconds(5));
        long startedAt = nextSequence();
        ProducerRecord<String, byte[]> start = records.activity(new ActivityStarted(id, LocalDate.of(2024, 4, 2)),
                2, startedAt, "OFPPT", T0.plusSeconds(10));

        // At-least-once publishing: the same stored event reaches the topic twice, at two offsets.
        send(proposal);
        send(proposal);
        send(commitment);
        send(proposal);
        send(commitment);
        send(start);
        send(start);

        JsonNode view = await("/api/activities/" + id, asOf(startedAt));
        assertThat(view.path("state").asText()).isEqualTo("STARTED");
        assertThat(view.path("version").asLong()).isEqualTo(2);

        JsonNode history = await("/api/audit/activities/" + id + "/history", asOf(startedAt));
        assertThat(history.path("events")).hasSize(3);

        JsonNode summary = axis(await("/api/convergence/axes", asOf(startedAt)), axisCode);
        assertThat(summary).isNotNull();
        assertThat(summary.path("activitiesByState").path("STARTED").asLong()).isEqualTo(1);
        assertThat(summary.path("activitiesByState").path("PROPOSED").asLong()).isZero();
        assertThat(summary.path("activitiesByState").path("COMMITTED").asLong()).isZero();
        assertThat(summary.path("activitiesByAgency").path("OFPPT").asLong()).isEqualTo(1);
        assertThat(summary.path("plannedBudget").path("MAD").decimalValue()).isEqualByComparingTo("500000.00");
        assertThat(summary.path("committedBudget").path("MAD").decimalValue()).isEqualByComparingTo("450000.00");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM activity_partner WHERE activity_id = ?", Long.class, id))
                .isEqualTo(1);
    }

    @Test
    void aStoppedProcessorResumesFromItsTokenWithoutLosingOrRepeating() {
        LedgerRecords records = records();
        String axisCode = "IT_RESTART";
        long firstAt = nextSequence();
        send(records.activity(proposal("CNSS:IT-RESTART-1", "CNSS", axisCode, "SOUSS_MASSA",
                Money.of("100.00", "MAD")), 0, firstAt, "CNSS", T0));
        await("/api/activities/CNSS:IT-RESTART-1", asOf(firstAt));

        EventProcessor activityView = processing.eventProcessor(Projections.ACTIVITY_VIEW).orElseThrow();
        activityView.shutDown();
        long secondAt = nextSequence();
        send(records.activity(proposal("CNSS:IT-RESTART-2", "CNSS", axisCode, "SOUSS_MASSA",
                Money.of("200.00", "MAD")), 0, secondAt, "CNSS", T0));
        activityView.start();

        await("/api/activities/CNSS:IT-RESTART-2", asOf(secondAt));
        JsonNode summary = axis(await("/api/convergence/axes", asOf(secondAt)), axisCode);
        assertThat(summary.path("activitiesByState").path("PROPOSED").asLong()).isEqualTo(2);
        assertThat(summary.path("plannedBudget").path("MAD").decimalValue()).isEqualByComparingTo("300.00");
        assertThat(jdbc.queryForObject("SELECT tokentype FROM tokenentry WHERE processorname = ?", String.class,
                Projections.ACTIVITY_VIEW)).endsWith("KafkaTrackingToken");
    }

    @Test
    void activitiesAreFilteredAndPaged() {
        LedgerRecords records = records();
        String axisCode = "IT_LIST";
        send(records.activity(proposal("ILO:IT-LIST-1", "ILO", axisCode, "FES_MEKNES", Money.of("10.00", "EUR")),
                0, nextSequence(), "ILO", T0));
        send(records.activity(proposal("IOM:IT-LIST-2", "IOM", axisCode, "FES_MEKNES", Money.of("20.00", "EUR")),
                0, nextSequence(), "IOM", T0));
        long thirdAt = nextSequence();
        send(records.activity(proposal("IOM:IT-LIST-3", "IOM", axisCode, "DRAA_TAFILALET", Money.of("30.00", "EUR")),
                0, thirdAt, "IOM", T0));
        long commitAt = nextSequence();
        send(records.activity(new ActivityCommitted("IOM:IT-LIST-3", Money.of("30.00", "EUR"),
                LocalDate.of(2024, 5, 1)), 1, commitAt, "IOM", T0));

        JsonNode all = await("/api/activities?axis=" + axisCode, asOf(commitAt));
        assertThat(all.path("total").asLong()).isEqualTo(3);
        assertThat(all.path("items").findValuesAsText("id"))
                .containsExactly("ILO:IT-LIST-1", "IOM:IT-LIST-2", "IOM:IT-LIST-3");

        assertThat(get("/api/activities?axis=" + axisCode + "&agency=IOM").path("total").asLong()).isEqualTo(2);
        // GIZ is a declared partner of every test activity: an agency finds what it takes part in.
        assertThat(get("/api/activities?axis=" + axisCode + "&agency=GIZ").path("total").asLong()).isEqualTo(3);
        assertThat(get("/api/activities?axis=" + axisCode + "&region=FES_MEKNES").path("total").asLong()).isEqualTo(2);
        JsonNode committed = get("/api/activities?axis=" + axisCode + "&state=COMMITTED");
        assertThat(committed.path("items").findValuesAsText("id")).containsExactly("IOM:IT-LIST-3");

        JsonNode secondPage = get("/api/activities?axis=" + axisCode + "&page=1&size=2");
        assertThat(secondPage.path("page").asInt()).isEqualTo(1);
        assertThat(secondPage.path("size").asInt()).isEqualTo(2);
        assertThat(secondPage.path("total").asLong()).isEqualTo(3);
        assertThat(secondPage.path("items").findValuesAsText("id")).containsExactly("IOM:IT-LIST-3");

        assertThat(get("/api/activities?size=100000").path("size").asInt()).isEqualTo(200);
    }

    @Test
    void anUnknownActivityIsANotFoundProblem() {
        ResponseEntity<String> response = http.getForEntity("/api/activities/NOBODY:NOTHING", String.class);

        assertThat(response.getStatusCode().value()).isEqualTo(404);
        assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        JsonNode problem = json(response.getBody());
        assertThat(problem.path("status").asInt()).isEqualTo(404);
        assertThat(problem.path("detail").asText()).contains("NOBODY:NOTHING");
        assertThat(problem.path("instance").asText()).isEqualTo("/api/activities/NOBODY:NOTHING");

        ResponseEntity<String> history = read("/api/audit/activities/NOBODY:NOTHING/history");
        assertThat(history.getStatusCode().value()).isEqualTo(404);
        assertThat(history.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void aBadParameterIsABadRequestProblemNamingIt() {
        assertBadParameter("/api/activities?state=FINISHED", "state");
        assertBadParameter("/api/activities?page=-1", "page");
        assertBadParameter("/api/activities?size=0", "size");
        assertBadParameter("/api/activities?size=many", "size");
    }

    private void assertBadParameter(String path, String parameter) {
        ResponseEntity<String> response = http.getForEntity(path, String.class);

        assertThat(response.getStatusCode().value()).as(path).isEqualTo(400);
        assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        JsonNode problem = json(response.getBody());
        assertThat(problem.path("parameter").asText()).as(response.getBody()).isEqualTo(parameter);
        assertThat(problem.path("detail").asText()).contains(parameter);
    }

    private static ProducerRecord<String, byte[]> onPartition(int partition, ProducerRecord<String, byte[]> record) {
        return new ProducerRecord<>(record.topic(), partition, record.key(), record.value(), record.headers());
    }

    private static ActivityProposed proposalIn(String id, String lead, String axis, String region, String start,
                                               String end) {
        return new ActivityProposed(id, lead, "Activity " + id, "Batch test", List.of(axis), List.of(region),
                List.of("YOUTH"), new Period(LocalDate.parse(start), LocalDate.parse(end)),
                Money.of("1000.00", "MAD"),
                BudgetSplit.proRata(new Period(LocalDate.parse(start), LocalDate.parse(end)),
                        Money.of("1000.00", "MAD")),
                List.of());
    }

    @Test
    void aBatchWithWholeLivesOnSeveralPartitionsIsAppliedOnceAndItsHistoryKept() {
        LedgerRecords records = records();
        String axis = "IT_BATCH";
        String anapec = "ANAPEC:IT-BATCH-1";
        String ofppt = "OFPPT:IT-BATCH-2";
        Instant proposedBoth = T0.plusSeconds(100);
        Instant moved = T0.plusSeconds(200);
        List<ProducerRecord<String, byte[]>> sent = new java.util.ArrayList<>();
        sent.add(onPartition(0, records.activity(proposalIn(anapec, "ANAPEC", axis, "ORIENTAL", "2024-01-01",
                "2024-12-31"), 0, nextSequence(), "ANAPEC", T0)));
        sent.add(onPartition(2, records.activity(proposalIn(ofppt, "OFPPT", axis, "ORIENTAL", "2024-06-01",
                "2025-05-31"), 0, nextSequence(), "OFPPT", proposedBoth)));
        sent.add(onPartition(0, records.activity(new ActivityCommitted(anapec, Money.of("900.00", "MAD"),
                LocalDate.of(2023, 12, 1)), 1, nextSequence(), "ANAPEC", proposedBoth.plusSeconds(10))));
        sent.add(onPartition(0, records.activity(new ActivityStarted(anapec, LocalDate.of(2024, 1, 2)), 2,
                nextSequence(), "ANAPEC", proposedBoth.plusSeconds(20))));
        sent.add(onPartition(2, records.activity(new org.convergenceledger.events.activity.ActivityRevised(ofppt,
                "Moved", "Batch test", List.of(axis), List.of("SOUSS_MASSA"), List.of("YOUTH"),
                new Period(LocalDate.of(2024, 6, 1), LocalDate.of(2025, 5, 31)), Money.of("1000.00", "MAD"),
                BudgetSplit.proRata(new Period(LocalDate.of(2024, 6, 1), LocalDate.of(2025, 5, 31)),
                        Money.of("1000.00", "MAD")), "moved"), 1, nextSequence(), "OFPPT", moved)));
        long lastAt = nextSequence();
        sent.add(onPartition(1, records.activity(proposalIn("CNSS:IT-BATCH-3", "CNSS", axis, "FES_MEKNES",
                "2024-01-01", "2024-02-01"), 0, lastAt, "CNSS", moved.plusSeconds(1))));

        // With the processor stopped, everything waits on the topic and comes as one batch (up to 1,000 events).
        EventProcessor activityView = processing.eventProcessor(Projections.ACTIVITY_VIEW).orElseThrow();
        activityView.shutDown();
        sent.forEach(QueryServiceIT::send);
        activityView.start();
        await("/api/activities/CNSS:IT-BATCH-3", asOf(lastAt));

        String pairs = "/api/convergence/duplications?axis=" + axis;
        JsonNode live = get(pairs);
        JsonNode before = get(pairs + "&knownAt=" + moved.minusSeconds(1));
        assertThat(live.path("pairs")).as("OFPPT's activity moved away: no duplication now").isEmpty();
        assertThat(before.path("pairs")).hasSize(1);
        assertThat(before.path("pairs").get(0).path("first").path("id").asText()).isEqualTo(anapec);
        assertThat(before.path("pairs").get(0).path("first").path("state").asText()).isEqualTo("STARTED");
        assertThat(get(pairs + "&knownAt=" + proposedBoth.plusSeconds(5)).path("pairs").get(0).path("first")
                .path("state").asText()).isEqualTo("PROPOSED");
        assertThat(get(pairs + "&knownAt=" + proposedBoth.minusSeconds(1)).path("pairs")).isEmpty();
        String versions = "SELECT count(*) FROM activity_version WHERE activity_id IN (?, ?)";
        assertThat(jdbc.queryForObject(versions, Long.class, anapec, ofppt)).isEqualTo(5);

        // Delivered again, whole: the publisher's retry after a lost acknowledgement. Nothing changes.
        JsonNode summary = axis(get("/api/convergence/axes"), axis);
        long segments = jdbc.queryForObject("SELECT count(*) FROM activity_segment WHERE activity_id IN (?, ?)",
                Long.class, anapec, ofppt);
        long pairRows = jdbc.queryForObject("SELECT count(*) FROM convergence_pair WHERE activity_a = ?", Long.class,
                anapec);
        activityView.shutDown();
        sent.forEach(QueryServiceIT::send);
        long markerAt = nextSequence();
        send(records.activity(proposalIn("CNSS:IT-BATCH-4", "CNSS", axis, "FES_MEKNES", "2024-01-01",
                "2024-02-01"), 0, markerAt, "CNSS", moved.plusSeconds(2)));
        activityView.start();
        await("/api/activities/CNSS:IT-BATCH-4", asOf(markerAt));

        assertThat(jdbc.queryForObject(versions, Long.class, anapec, ofppt)).isEqualTo(5);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM activity_segment WHERE activity_id IN (?, ?)",
                Long.class, anapec, ofppt)).isEqualTo(segments);
        // Two: ANAPEC's start moved its period (a new segment) while OFPPT's activity was still in the region.
        assertThat(jdbc.queryForObject("SELECT count(*) FROM convergence_pair WHERE activity_a = ?", Long.class,
                anapec)).isEqualTo(pairRows).isEqualTo(2);
        JsonNode again = axis(get("/api/convergence/axes"), axis);
        assertThat(again.path("activitiesByState").path("STARTED")).isEqualTo(summary.path("activitiesByState")
                .path("STARTED"));
        assertThat(again.path("activitiesByState").path("PROPOSED").asLong())
                .isEqualTo(summary.path("activitiesByState").path("PROPOSED").asLong() + 1);
        assertThat(again.path("committedBudget")).isEqualTo(summary.path("committedBudget"));
    }

    @Autowired
    org.convergenceledger.query.system.ScanDatabase scans;

    @Test
    void longReadsPastTheLimitAreRefusedWith429AndRetryAfterWhileLiveReadsGoOn() throws Exception {
        java.util.concurrent.CountDownLatch busy = new java.util.concurrent.CountDownLatch(2);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ExecutorService holders = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 2; i++) {
                holders.submit(() -> scans.read("a long read", jdbc -> {
                    busy.countDown();
                    try {
                        return release.await(30, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                }));
            }
            assertThat(busy.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

            ResponseEntity<String> refused = read("/api/convergence/matrix?asOf=" + T0);
            ResponseEntity<String> live = read("/api/convergence/matrix");

            assertThat(refused.getStatusCode().value()).isEqualTo(429);
            assertThat(refused.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
            assertThat(refused.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).matches("[1-9][0-9]*");
            assertThat(json(refused.getBody()).path("code").asText()).isEqualTo("too-busy");
            assertThat(live.getStatusCode().value()).isEqualTo(200);
        } finally {
            release.countDown();
            holders.shutdown();
        }
        assertThat(holders.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(read("/api/convergence/matrix?asOf=" + T0).getStatusCode().value()).isEqualTo(200);
    }

    @Test
    void anAdministratorPausesAProjectionAndItAppliesTheBacklogWhenResumed() {
        HttpHeaders headers = new HttpHeaders();
        headers.setBearerAuth(adminKey());
        ResponseEntity<String> paused = http.exchange("/api/admin/projections/activity-view/pause", HttpMethod.POST,
                new HttpEntity<>(headers), String.class);
        assertThat(paused.getStatusCode().value()).isEqualTo(200);

        long proposedAt = nextSequence();
        send(records().activity(proposal("ILO:IT-PAUSED-1", "ILO", "IT_PAUSE", "SOUSS_MASSA",
                Money.of("10.00", "USD")), 0, proposedAt, "ILO", T0));
        sleep(1500);
        assertThat(http.getForEntity("/api/activities/ILO:IT-PAUSED-1", String.class).getStatusCode().value())
                .isEqualTo(404);

        assertThat(http.exchange("/api/admin/projections/activity-view/resume", HttpMethod.POST,
                new HttpEntity<>(headers), String.class).getStatusCode().value()).isEqualTo(200);
        assertThat(await("/api/activities/ILO:IT-PAUSED-1", asOf(proposedAt)).path("state").asText())
                .isEqualTo("PROPOSED");
        assertThat(http.exchange("/api/admin/projections/nothing/pause", HttpMethod.POST, new HttpEntity<>(headers),
                String.class).getStatusCode().value()).isEqualTo(404);
    }

    @Test
    void healthShowsAnAdministratorTheDatabaseTheBrokerAndEachProjectionAndAnyoneElseTheStatusOnly() {
        JsonNode anonymous = json(http.getForEntity("/actuator/health", String.class).getBody());
        assertThat(anonymous.path("status").asText()).isEqualTo("UP");
        assertThat(anonymous.has("components")).as(anonymous.toString()).isFalse();

        ResponseEntity<String> response = exchange("/actuator/health", adminKey());

        JsonNode health = json(response.getBody());
        assertThat(health.path("status").asText()).as(response.getBody()).isEqualTo("UP");
        JsonNode components = health.path("components");
        assertThat(components.path("db").path("status").asText()).isEqualTo("UP");
        assertThat(components.path("kafka").path("status").asText()).isEqualTo("UP");
        JsonNode lag = components.path("projectionLag");
        assertThat(lag.path("status").asText()).isEqualTo("UP");
        for (String projection : Projections.ALL) {
            assertThat(lag.path("details").path(projection).path("running").asBoolean()).as(projection).isTrue();
            assertThat(lag.path("details").path(projection).path("inError").asBoolean()).as(projection).isFalse();
            assertThat(lag.path("details").path(projection).has("consumerLag")).as(projection).isTrue();
        }
    }
}
