package org.convergenceledger.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.convergenceledger.events.common.ActivityState;
import org.convergenceledger.events.common.PartnerRole;
import org.convergenceledger.events.iati.IatiSchema;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * IATI 2.03 both ways, end to end: the scenario's export is valid against the schema and says what the JSON reads
 * say; another agency's activities are refused one by one; an agency's own export imports as unchanged; a partner's
 * file proposes new activities that the reads then show, a dry run changes nothing, a second import neither; a file
 * that breaks the schema is a 400 naming the line.
 */
class IatiIT {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static LedgerSystem system;

    @BeforeAll
    static void startTheLedgerWithItsScenarioApplied() {
        system = LedgerSystem.get();
        Ledger.ensureRegistry(system);
        long storeHead = system.commandDatabase().queryForObject("SELECT max(globalindex) FROM domainevententry",
                Long.class);
        await().atMost(Duration.ofSeconds(60)).until(() -> Http.get(system.queryUrl() + "/api/activities?size=1")
                .json().path("asOfSequence").asLong() >= storeHead);
    }

    @Test
    void theScenarioExportsAsValidIatiThatSaysWhatTheReadsSay() throws Exception {
        HttpResponse<byte[]> export = export("");

        assertThat(export.statusCode()).isEqualTo(200);
        assertThat(export.headers().firstValue("Content-Type").orElse("")).startsWith("application/xml");
        assertThat(IatiSchema.violations(new ByteArrayInputStream(export.body()))).isEmpty();
        // Kept for a reader of the run, as DashboardIT keeps its screenshots.
        java.nio.file.Path kept = java.nio.file.Path.of("target", "iati", "scenario.xml");
        java.nio.file.Files.createDirectories(kept.getParent());
        java.nio.file.Files.write(kept, export.body());
        Document document = parse(export.body());
        long listed = Http.get(system.queryUrl() + "/api/convergence/activities?limit=1000").json().path("total")
                .asLong();
        assertThat((long) document.getElementsByTagName("iati-activity").getLength()).isEqualTo(listed)
                .isGreaterThanOrEqualTo(36);

        // An activity carried with a partner, committed and started: status, commitment, roles as the reads say.
        JsonNode read = Http.get(system.queryUrl() + "/api/activities/ILO:WLT-BMK-2024").json();
        Element activity = activity(document, "XM-CL-ILO-WLT-BMK-2024");
        assertThat(child(activity, "activity-status").getAttribute("code")).isEqualTo(Integer.toString(
                ActivityState.valueOf(read.path("state").asText()).iatiStatus())).isEqualTo("2");
        Element commitment = transaction(activity, "2");
        assertThat(new BigDecimal(child(commitment, "value").getTextContent()))
                .isEqualByComparingTo(read.path("committed").path("amount").decimalValue());
        assertThat(child(commitment, "value").getAttribute("currency"))
                .isEqualTo(read.path("committed").path("currency").asText());
        assertThat(child(commitment, "transaction-date").getAttribute("iso-date"))
                .isEqualTo(read.path("committed").path("on").asText());
        Set<String> expectedRoles = new TreeSet<>(Set.of("XM-CL-ILO=2"));
        for (JsonNode partner : read.path("partners")) {
            expectedRoles.add("XM-CL-" + partner.path("agency").asText() + "="
                    + PartnerRole.valueOf(partner.path("role").asText()).iatiCode());
        }
        assertThat(roles(activity)).isEqualTo(expectedRoles).contains("XM-CL-OFPPT=4");

        // A completed activity: its expenditure is the amount spent, dated on completion.
        JsonNode completed = Http.get(system.queryUrl() + "/api/activities/ENABEL:WLT-SOU-2024").json();
        Element expenditure = transaction(activity(document, "XM-CL-ENABEL-WLT-SOU-2024"), "4");
        assertThat(new BigDecimal(child(expenditure, "value").getTextContent()))
                .isEqualByComparingTo(completed.path("amountSpent").path("amount").decimalValue());
        assertThat(child(expenditure, "transaction-date").getAttribute("iso-date"))
                .isEqualTo(completed.path("completedOn").asText());
    }

    @Test
    void theExportTakesTheFiltersAndMomentsOfTheConvergenceReads() throws Exception {
        String filter = "?agency=IOM,ILO&axis=SKILLS_PARTNERSHIP,LEGAL_MIGRATION";
        Document filtered = parse(export(filter).body());
        JsonNode listed = Http.get(system.queryUrl() + "/api/convergence/activities" + filter).json();
        Set<String> expected = new TreeSet<>();
        listed.path("items").forEach(item -> expected.add(item.path("id").asText().replace(":", "-")));
        assertThat(identifiers(filtered)).isEqualTo(expected).hasSizeGreaterThanOrEqualTo(3);

        // Completed at the end of 2024: still being carried out as things stood in June.
        String completed = "XM-CL-ANAPEC-MOB-NAT-2024";
        assertThat(child(activity(parse(export("?agency=ANAPEC").body()), completed), "activity-status")
                .getAttribute("code")).isEqualTo("3");
        HttpResponse<byte[]> then = export("?agency=ANAPEC&validAt=2024-06-01T00:00:00Z");
        assertThat(IatiSchema.violations(new ByteArrayInputStream(then.body()))).isEmpty();
        Element past = activity(parse(then.body()), completed);
        assertThat(child(past, "activity-status").getAttribute("code")).isEqualTo("2");
        assertThat(past.getElementsByTagName("transaction").getLength()).as("no expenditure before completion")
                .isEqualTo(1);

        HttpResponse<byte[]> none = export("?agency=NOBODY");
        assertThat(none.statusCode()).isEqualTo(404);
        assertThat(none.headers().firstValue("Content-Type").orElse("")).contains("problem+json");
        HttpResponse<byte[]> bad = export("?from=yesterday");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(new String(bad.body(), StandardCharsets.UTF_8)).contains("from");
    }

    @Test
    void anotherAgencysActivitiesAreRefusedOneByOne() {
        byte[] anapec = export("?agency=ANAPEC").body();
        long events = storedEvents();

        JsonNode report = importAs("GIZ", anapec, false);

        assertThat(report.path("totals").path("refused").asLong()).isEqualTo(report.path("activities").size())
                .isGreaterThanOrEqualTo(5);
        for (JsonNode activity : report.path("activities")) {
            assertThat(activity.path("outcome").asText()).isEqualTo("refused");
            assertThat(activity.path("reasons").get(0).asText()).contains("XM-CL-ANAPEC", "XM-CL-GIZ");
        }
        assertThat(storedEvents()).isEqualTo(events);
    }

    @Test
    void anAgencysOwnExportImportsAsUnchanged() {
        byte[] ilo = export("?agency=ILO").body();
        long events = storedEvents();

        JsonNode report = importAs("ILO", ilo, false);

        assertThat(report.path("totals").path("unchanged").asLong()).isEqualTo(report.path("activities").size())
                .isGreaterThanOrEqualTo(4);
        assertThat(storedEvents()).isEqualTo(events);
    }

    @Test
    void aPartnersFileProposesItsNewActivitiesAndAgainChangesNothing() throws Exception {
        String ref = "IMP-" + System.nanoTime() % 1_000_000_000L;
        String file = partnerFile(ref, "Quality apprenticeships, second phase");
        List<String> ids = List.of("ILO:" + ref + "-A", "ILO:" + ref + "-B", "ILO:" + ref + "-C");
        long events = storedEvents();

        JsonNode dryRun = importAs("ILO", file.getBytes(StandardCharsets.UTF_8), true);

        assertThat(outcomes(dryRun)).containsExactly("would-create", "would-create", "refused");
        assertThat(dryRun.path("checked").asText()).isEqualTo("content only");
        assertThat(dryRun.path("activities").get(2).path("code").asText()).isEqualTo("invalid-input");
        assertThat(dryRun.path("activities").get(2).path("reasons").toString()).contains("targetGroups");
        assertThat(storedEvents()).as("a dry run stores nothing").isEqualTo(events);

        JsonNode applied = importAs("ILO", file.getBytes(StandardCharsets.UTF_8), false);

        assertThat(outcomes(applied)).containsExactly("created", "created", "refused");
        assertThat(applied.path("activities").get(0).path("activityId").asText()).isEqualTo(ids.get(0));
        assertThat(applied.path("activities").get(2).path("reasons").toString()).as("the aggregate's words")
                .isEqualTo(dryRun.path("activities").get(2).path("reasons").toString());
        assertThat(storedEvents()).isEqualTo(events + 2);
        JsonNode shown = await().atMost(Duration.ofSeconds(30)).until(() ->
                Http.get(system.queryUrl() + "/api/activities/" + ids.get(0)), r -> r.status() == 200).json();
        assertThat(shown.path("title").asText()).isEqualTo("Quality apprenticeships, second phase");
        assertThat(shown.path("axes").toString()).contains("WORK_LINKED_TRAINING", "GENDER");
        assertThat(shown.path("regions").toString()).contains("SOUSS_MASSA");
        assertThat(shown.path("targetGroups").toString()).contains("YOUTH");
        assertThat(shown.path("partners").toString()).contains("OFPPT", "IMPLEMENTING");
        assertThat(shown.path("plannedBudget").path("amount").decimalValue()).isEqualByComparingTo("250000");
        String metadata = new String(system.commandDatabase().queryForObject("SELECT metadata FROM domainevententry"
                + " WHERE aggregateidentifier = ?", byte[].class, ids.get(0)), StandardCharsets.UTF_8);
        assertThat(metadata).contains("\"recordedBy\":\"ILO\"").contains("iati-import:" + ids.get(0));

        long afterImport = storedEvents();
        JsonNode again = importAs("ILO", file.getBytes(StandardCharsets.UTF_8), false);
        assertThat(outcomes(again)).containsExactly("unchanged", "unchanged", "refused");
        assertThat(storedEvents()).isEqualTo(afterImport);

        byte[] renamed = partnerFile(ref, "Quality apprenticeships, phase two").getBytes(StandardCharsets.UTF_8);
        assertThat(outcomes(importAs("ILO", renamed, true))).containsExactly("would-update", "would-update",
                "refused");
        assertThat(storedEvents()).isEqualTo(afterImport);
        JsonNode revised = importAs("ILO", renamed, false);
        assertThat(outcomes(revised)).containsExactly("updated", "updated", "refused");
        assertThat(revised.path("activities").get(0).path("version").asLong()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(system.queryUrl() + "/api/activities/"
                + ids.get(0)).json().path("title").asText(), "Quality apprenticeships, phase two"::equals);
        String history = Ledger.auditor(system).get(system.queryUrl() + "/api/audit/activities/" + ids.get(0)
                + "/history").raw().body();
        assertThat(history).contains("IATI import");
        Document exported = parse(export("?agency=ILO").body());
        assertThat(child(child(activity(exported, "XM-CL-ILO-" + ref + "-A"), "title"), "narrative")
                .getTextContent()).isEqualTo("Quality apprenticeships, phase two");
    }

    @Test
    void aFileThatBreaksTheSchemaIsRefusedWholeNamingTheLine() {
        long events = storedEvents();
        String noTitle = partnerFile("BROKEN", "x").replaceFirst("<title>.*?</title>", "");

        HttpResponse<String> refused = post(system.key("ILO"), noTitle.getBytes(StandardCharsets.UTF_8), "false");

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
        JsonNode problem = json(refused.body());
        assertThat(problem.path("code").asText()).isEqualTo("invalid-iati");
        assertThat(problem.path("errors").get(0).path("line").asInt()).isEqualTo(7);
        assertThat(problem.path("detail").asText()).startsWith("line 7").contains("description");
        assertThat(post(system.key("ILO"), "not xml".getBytes(StandardCharsets.UTF_8), "false").statusCode())
                .isEqualTo(400);
        assertThat(post(system.key("ILO"), partnerFile("X", "x").getBytes(StandardCharsets.UTF_8), "maybe")
                .statusCode()).isEqualTo(400);
        assertThat(post(system.key("AUDITOR"), partnerFile("X", "x").getBytes(StandardCharsets.UTF_8), "true")
                .statusCode()).isEqualTo(403);
        assertThat(storedEvents()).isEqualTo(events);
    }

    /**
     * ILO's file: two new activities (a DAC vocational-training sector, a gender marker, a region, OFPPT as
     * implementing partner, target groups in the ledger's namespace) and a third without target groups.
     */
    private static String partnerFile(String ref, String title) {
        StringBuilder file = new StringBuilder("""
                <?xml version="1.0" encoding="UTF-8"?>
                <iati-activities version="2.03" xmlns:cl="urn:convergence-ledger:iati">
                """);
        for (String suffix : List.of("A", "B", "C")) {
            file.append("""
                      <iati-activity default-currency="USD" xml:lang="en">
                        <iati-identifier>XM-CL-ILO-%s-%s</iati-identifier>
                        <reporting-org ref="XM-CL-ILO" type="40"><narrative>ILO</narrative></reporting-org>
                        <title><narrative>%s</narrative></title>
                        <description type="1"><narrative>Apprenticeships with agri-food firms</narrative></description>
                        <participating-org ref="XM-CL-ILO" role="2" type="40"/>
                        <participating-org ref="XM-CL-OFPPT" role="4" type="15"/>
                        <activity-status code="1"/>
                        <activity-date type="1" iso-date="2026-01-01"/>
                        <activity-date type="3" iso-date="2026-12-31"/>
                        <recipient-country code="MA" percentage="100"/>
                        <location ref="SOUSS_MASSA"><name><narrative>Souss-Massa</narrative></name></location>
                        <sector vocabulary="1" code="11330" percentage="100"/>
                        <policy-marker vocabulary="1" code="1" significance="2"/>
                        <budget type="1" status="1"><period-start iso-date="2026-01-01"/>
                          <period-end iso-date="2026-12-31"/><value value-date="2026-01-01">250000</value></budget>
                        %s
                      </iati-activity>
                    """.formatted(ref, suffix, title, suffix.equals("C") ? ""
                    : "<cl:target-group code=\"YOUTH\"/><cl:target-group code=\"WOMEN\"/>"));
        }
        return file.append("</iati-activities>\n").toString();
    }

    private static HttpResponse<byte[]> export(String query) {
        try {
            return CLIENT.send(HttpRequest.newBuilder(URI.create(system.queryUrl() + "/api/iati/activities.xml"
                    + query)).timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode importAs(String agency, byte[] file, boolean dryRun) {
        HttpResponse<String> response = post(system.key(agency), file, Boolean.toString(dryRun));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response.body());
    }

    private static HttpResponse<String> post(String key, byte[] file, String dryRun) {
        try {
            return CLIENT.send(HttpRequest.newBuilder(URI.create(system.commandUrl() + "/api/iati/import?dryRun="
                            + dryRun)).timeout(Duration.ofSeconds(60)).header("Content-Type", "application/xml")
                    .header("Authorization", "Bearer " + key).POST(HttpRequest.BodyPublishers.ofByteArray(file))
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static long storedEvents() {
        return system.commandDatabase().queryForObject("SELECT count(*) FROM domainevententry", Long.class);
    }

    private static List<String> outcomes(JsonNode report) {
        List<String> outcomes = new ArrayList<>();
        report.path("activities").forEach(activity -> outcomes.add(activity.path("outcome").asText()));
        return outcomes;
    }

    private static JsonNode json(String body) {
        try {
            return Http.JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    private static Document parse(byte[] xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
    }

    private static Set<String> identifiers(Document document) {
        Set<String> identifiers = new TreeSet<>();
        NodeList nodes = document.getElementsByTagName("iati-identifier");
        for (int i = 0; i < nodes.getLength(); i++) {
            identifiers.add(nodes.item(i).getTextContent().replaceFirst("^XM-CL-", ""));
        }
        return identifiers;
    }

    private static Element activity(Document document, String identifier) {
        NodeList nodes = document.getElementsByTagName("iati-activity");
        for (int i = 0; i < nodes.getLength(); i++) {
            Element activity = (Element) nodes.item(i);
            if (child(activity, "iati-identifier").getTextContent().equals(identifier)) {
                return activity;
            }
        }
        throw new AssertionError("no activity " + identifier + " in the export");
    }

    private static Element child(Element parent, String name) {
        NodeList nodes = parent.getElementsByTagName(name);
        if (nodes.getLength() == 0) {
            throw new AssertionError("no " + name + " in " + parent.getTagName());
        }
        return (Element) nodes.item(0);
    }

    private static Element transaction(Element activity, String type) {
        NodeList nodes = activity.getElementsByTagName("transaction");
        for (int i = 0; i < nodes.getLength(); i++) {
            Element transaction = (Element) nodes.item(i);
            if (child(transaction, "transaction-type").getAttribute("code").equals(type)) {
                return transaction;
            }
        }
        throw new AssertionError("no transaction of type " + type);
    }

    private static Set<String> roles(Element activity) {
        Set<String> roles = new TreeSet<>();
        NodeList nodes = activity.getElementsByTagName("participating-org");
        for (int i = 0; i < nodes.getLength(); i++) {
            Element org = (Element) nodes.item(i);
            roles.add(org.getAttribute("ref") + "=" + org.getAttribute("role"));
        }
        return roles;
    }
}
