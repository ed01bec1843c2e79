package org.convergenceledger.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.convergenceledger.events.LedgerMetadata;
import org.convergenceledger.events.activity.ActivityProposed;
import org.convergenceledger.events.activity.ActivityRevised;
import org.convergenceledger.events.canonical.EventHash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The planned budget split by year, end to end — and an activity stored before the split existed: its events are
 * written into the store in the old shape (sealed as the command service seals, so they form a valid chain), then the
 * aggregate loads them and takes the next commands, the reads show the pro-rata split, the ledger verifies intact, a
 * replay from the store gives the live digest, and the auditors' verifier checks the export.
 */
class BudgetByYearIT extends OnTheLedger {

    private static final String PROPOSED_TYPE = ActivityProposed.class.getName();
    private static final String REVISED_TYPE = ActivityRevised.class.getName();

    @Test
    void anActivityStoredInTheOldShapeLoadsReadsVerifiesAndReplaysAsTheNewCodeWouldHaveWrittenIt(
            @TempDir Path auditor) throws Exception {
        String id = Ledger.newActivityId("ANAPEC", "OLD-SHAPE");
        // 2024-03-01..2026-02-28: 306 days in 2024, 365 in 2025, 59 in 2026.
        String proposal = """
                {"activityId":"%s","leadAgency":"ANAPEC","title":"Dual training %s","description":"Before the split",\
                "axes":["WORK_LINKED_TRAINING"],"regions":["DAKHLA_OUED_EDDAHAB"],"targetGroups":["YOUTH"],\
                "plannedPeriod":{"start":"2024-03-01","end":"2026-02-28"},\
                "plannedBudget":{"amount":900000.00,"currency":"MAD"},"partners":[]}""".formatted(id, id);
        String revision = """
                {"activityId":"%s","title":"Dual training %s","description":"Before the split",\
                "axes":["WORK_LINKED_TRAINING"],"regions":["DAKHLA_OUED_EDDAHAB"],"targetGroups":["YOUTH"],\
                "plannedPeriod":{"start":"2024-03-01","end":"2026-02-28"},\
                "plannedBudget":{"amount":1000000,"currency":"MAD"},"reason":"Second cohort"}""".formatted(id, id);
        String first = storeInTheOldShape(id, 0, PROPOSED_TYPE, proposal, EventHash.GENESIS);
        storeInTheOldShape(id, 1, REVISED_TYPE, revision, first);
        Ledger.awaitSettled(system, id);
        List<Map<String, Object>> asStored = rows(id);

        // The aggregate loads both through the upcaster and moves on: over HTTP, then over Kafka.
        String activity = system.commandUrl() + "/api/activities/" + id;
        Http.Response committed = Ledger.post(system, activity + "/commitment", Map.of("committedAmount",
                Map.of("amount", new BigDecimal("950000.00"), "currency", "MAD"), "committedOn", "2024-02-20"));
        assertThat(committed.status()).as(committed.raw().body()).isEqualTo(200);
        assertThat(committed.json().path("version").asLong()).isEqualTo(2);
        JsonNode revised = AgencyTopics.sendAndAwaitOutcome(system, "ANAPEC", id, "ReviseActivity",
                Map.of("activityId", id, "description", "Third cohort", "reason", "Kafka revision"));
        assertThat(revised.path("status").asText()).as(revised.toString()).isEqualTo("ACCEPTED");
        Ledger.awaitSettled(system, id);

        // 1000000 over 730 days, in cents: the cent left over goes to 2026 (the largest remainder).
        List<String> split = List.of("2024=419178.08", "2025=500000.00", "2026=80821.92");
        // What the new code wrote for a revision that kept period and budget: the split the old events fold to.
        Map<String, Object> kafkaRevision = store.queryForMap("SELECT payload, payloadrevision FROM domainevententry"
                + " WHERE aggregateidentifier = ? AND sequencenumber = 3", id);
        assertThat(kafkaRevision.get("payloadrevision")).isEqualTo("2");
        assertThat(parts(Http.JSON.readTree((byte[]) kafkaRevision.get("payload")).path("plannedBudgetByYear")))
                .isEqualTo(split);
        // The old events stay as they were stored: upcasting happens when they are read, never in the store.
        assertThat(rows(id).subList(0, 2)).usingRecursiveComparison().isEqualTo(asStored);

        JsonNode read = await().atMost(Duration.ofSeconds(30)).until(
                () -> Http.get(system.queryUrl() + "/api/activities/" + id).json(),
                view -> view.path("version").asLong() == 3);
        assertThat(parts(read.path("plannedBudgetByYear"))).isEqualTo(split);
        assertThat(read.path("description").asText()).isEqualTo("Third cohort");

        // Published on ledger.events in the upcast form (revision 2), with the seal of the stored form.
        ConsumerRecord<String, byte[]> published = firstPublished(id);
        assertThat(AgencyTopics.header(published, "axon-message-revision")).isEqualTo("2");
        assertThat(AgencyTopics.header(published, "axon-metadata-" + LedgerMetadata.HASH)).isEqualTo(first);
        assertThat(parts(Http.JSON.readTree(published.value()).path("plannedBudgetByYear")))
                .containsExactly("2024=377260.27", "2025=450000.00", "2026=72739.73");
        JsonNode history = Ledger.auditor(system).get(system.queryUrl() + "/api/audit/activities/" + id + "/history")
                .json().path("events");
        assertThat(parts(history.get(0).path("payload").path("plannedBudgetByYear")))
                .containsExactly("2024=377260.27", "2025=450000.00", "2026=72739.73");

        JsonNode verification = Ledger.auditor(system).get(system.commandUrl() + "/api/audit/verification").json();
        assertThat(verification.path("failures")).isEmpty();
        assertThat(verification.path("intact").asBoolean()).isTrue();

        JsonNode live = ReplayDigestIT.liveWhenCaughtUp();
        JsonNode replayed = ReplayDigestIT.replayed(live.path("upToSequence").asLong());
        assertThat(replayed.path("rows")).isEqualTo(live.path("rows"));
        assertThat(replayed.path("digest").asText()).isEqualTo(live.path("digest").asText());

        // The export carries the stored bytes (no split, revision null) and the verifier checks their seals.
        long treeSize = VerifierIT.awaitEverythingCheckpointed();
        VerifierIT.Download files = VerifierIT.download(auditor);
        JsonNode exported = java.nio.file.Files.readAllLines(files.export()).stream().map(this::json)
                .filter(line -> line.path("eventId").asText().equals(asStored.get(0).get("eventidentifier")))
                .findFirst().orElseThrow();
        assertThat(exported.path("payload").has("plannedBudgetByYear")).isFalse();
        assertThat(exported.path("payloadRevision").isNull()).isTrue();
        assertThat(exported.path("hash").asText()).isEqualTo(first);
        VerifierIT.Run run = VerifierIT.verifier(files);
        assertThat(run.output()).startsWith("verified ").endsWith(" up to tree size " + treeSize);
        assertThat(run.exitCode()).isZero();

        // IATI: one budget per calendar year, over that year's part of the planned period.
        Element iati = iatiActivity(id);
        assertThat(attributes(iati, "period-start", "iso-date")).containsExactly("2024-03-01", "2025-01-01",
                "2026-01-01");
        assertThat(attributes(iati, "period-end", "iso-date")).containsExactly("2024-12-31", "2025-12-31",
                "2026-02-28");
        List<String> values = new ArrayList<>();
        NodeList budgets = iati.getElementsByTagName("budget");
        for (int i = 0; i < budgets.getLength(); i++) {
            values.add(new BigDecimal(((Element) budgets.item(i)).getElementsByTagName("value").item(0)
                    .getTextContent().strip()).toPlainString());
        }
        assertThat(values).containsExactly("419178.08", "500000.00", "80821.92");
    }

    @Test
    void aSplitGivenOverHttpOrKafkaIsCheckedKeptAndShown() throws Exception {
        String id = Ledger.newActivityId("ANAPEC", "SPLIT");
        Map<String, Object> body = new LinkedHashMap<>(Ledger.proposal(id, "ANAPEC"));
        body.put("plannedBudgetByYear", List.of(year(2023, "250000.00"), year(2024, "1000000.00")));
        Http.Response refused = Ledger.post(system, system.commandUrl() + "/api/activities", body);
        assertThat(refused.status()).as(refused.raw().body()).isEqualTo(400);
        assertThat(refused.json().path("errors").findValuesAsText("field"))
                .containsExactly("plannedBudgetByYear[0].year");

        body.put("plannedBudgetByYear", List.of(year(2025, "250000.00"), year(2024, "1000000.00")));
        Http.Response proposed = Ledger.post(system, system.commandUrl() + "/api/activities", body);
        assertThat(proposed.status()).as(proposed.raw().body()).isEqualTo(201);
        JsonNode read = await().atMost(Duration.ofSeconds(30)).until(
                () -> Http.get(system.queryUrl() + "/api/activities/" + id), response -> response.status() == 200)
                .json();
        assertThat(parts(read.path("plannedBudgetByYear"))).containsExactly("2024=1000000.00", "2025=250000.00");

        JsonNode unbalanced = AgencyTopics.sendAndAwaitOutcome(system, "ANAPEC", id, "ReviseActivity",
                Map.of("activityId", id, "plannedBudgetByYear", List.of(year(2024, "1200000.00")), "reason", "r"));
        assertThat(unbalanced.path("status").asText()).isEqualTo("REJECTED");
        assertThat(unbalanced.path("problem").path("errors").findValuesAsText("field"))
                .containsExactly("plannedBudgetByYear");
        JsonNode rephased = AgencyTopics.sendAndAwaitOutcome(system, "ANAPEC", id, "ReviseActivity",
                Map.of("activityId", id, "plannedBudgetByYear", List.of(year(2024, "625000.00"),
                        year(2025, "625000.00")), "reason", "Rephased"));
        assertThat(rephased.path("status").asText()).as(rephased.toString()).isEqualTo("ACCEPTED");
        JsonNode after = await().atMost(Duration.ofSeconds(30)).until(
                () -> Http.get(system.queryUrl() + "/api/activities/" + id).json(),
                view -> view.path("version").asLong() == 1);
        assertThat(parts(after.path("plannedBudgetByYear"))).containsExactly("2024=625000.00", "2025=625000.00");
    }

    /**
     * Writes one event as the command service stored it before the split: the old payload, no revision, sealed over
     * exactly these bytes (HashChain's rule) and chained to the previous hash. Returns its hash.
     */
    private static String storeInTheOldShape(String id, long sequence, String type, String payload, String previous)
            throws Exception {
        String eventId = UUID.randomUUID().toString();
        String recordedAt = EventHash.recordedAt(Instant.now());
        Map<String, String> envelope = Map.of(LedgerMetadata.RECORDED_BY, "ANAPEC",
                LedgerMetadata.IDEMPOTENCY_KEY, "legacy-" + eventId);
        String hash = EventHash.of(new EventHash.Fields(eventId, id, sequence, type, recordedAt, envelope,
                Http.JSON.readTree(payload), previous));
        Map<String, String> metadata = new LinkedHashMap<>(envelope);
        metadata.put(LedgerMetadata.HASH, hash);
        metadata.put(LedgerMetadata.PREVIOUS_HASH, previous);
        store.update("INSERT INTO domainevententry (aggregateidentifier, sequencenumber, type, eventidentifier, "
                        + "metadata, payload, payloadrevision, payloadtype, timestamp) "
                        + "VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?)",
                id, sequence, "Activity", eventId, Http.JSON.writeValueAsBytes(metadata),
                payload.getBytes(StandardCharsets.UTF_8), type, recordedAt);
        return hash;
    }

    private static ConsumerRecord<String, byte[]> firstPublished(String id) {
        List<ConsumerRecord<String, byte[]>> published = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = system.kafkaConsumer()) {
            consumer.subscribe(List.of("ledger.events"));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(500)).forEach(record -> {
                    if (id.equals(record.key())) {
                        published.add(record);
                    }
                });
                return !published.isEmpty();
            });
        }
        return published.get(0);
    }

    private static List<Map<String, Object>> rows(String id) {
        return store.queryForList("SELECT * FROM domainevententry WHERE aggregateidentifier = ? "
                + "ORDER BY sequencenumber", id);
    }

    private static Map<String, Object> year(int year, String amount) {
        return Map.of("year", year, "amount", new BigDecimal(amount));
    }

    /** A split as year=amount, amounts as written. */
    private static List<String> parts(JsonNode split) {
        List<String> parts = new ArrayList<>();
        split.forEach(part -> parts.add(part.path("year").asInt() + "=" + part.path("amount").decimalValue()
                .toPlainString()));
        return parts;
    }

    private JsonNode json(String line) {
        try {
            return Http.JSON.readTree(line);
        } catch (Exception e) {
            throw new AssertionError(line, e);
        }
    }

    private static Element iatiActivity(String id) throws Exception {
        Http.Response xml = Http.get(system.queryUrl() + "/api/iati/activities.xml?agency=ANAPEC");
        assertThat(xml.status()).isEqualTo(200);
        NodeList activities = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.raw().body().getBytes(StandardCharsets.UTF_8)))
                .getElementsByTagName("iati-activity");
        String identifier = "XM-CL-ANAPEC-" + id.substring(id.indexOf(':') + 1);
        for (int i = 0; i < activities.getLength(); i++) {
            Element activity = (Element) activities.item(i);
            if (activity.getElementsByTagName("iati-identifier").item(0).getTextContent().strip().equals(identifier)) {
                return activity;
            }
        }
        throw new AssertionError(identifier + " is not in the IATI export");
    }

    private static List<String> attributes(Element parent, String element, String attribute) {
        List<String> values = new ArrayList<>();
        NodeList found = parent.getElementsByTagName(element);
        for (int i = 0; i < found.getLength(); i++) {
            values.add(((Element) found.item(i)).getAttribute(attribute));
        }
        return values;
    }
}
