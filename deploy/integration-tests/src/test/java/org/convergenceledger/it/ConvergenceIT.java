package org.convergenceledger.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.convergenceledger.command.scenario.Scenario;
import org.convergenceledger.query.projection.Projections;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The live convergence view over the DESIGN.md scenario and activities the tests add to it. */
class ConvergenceIT {

    private static LedgerSystem system;

    @BeforeAll
    static void startTheLedger() {
        system = LedgerSystem.get();
        Ledger.ensureRegistry(system);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                Http.get(system.queryUrl() + "/api/activities/" + Scenario.DUPLICATE_B).status() == 200);
    }

    @Test
    void thePlantedDuplicationIsReportedWithItsReasons() {
        JsonNode duplications = Http.get(system.queryUrl()
                + "/api/convergence/duplications?region=TANGER_TETOUAN_AL_HOCEIMA&axis=WORK_LINKED_TRAINING").json();

        JsonNode planted = pairOf(duplications.path("pairs"), Scenario.DUPLICATE_A, Scenario.DUPLICATE_B);
        assertThat(planted).as("planted duplication in %s", duplications).isNotNull();
        assertThat(planted.path("sharedAxes").toString()).isEqualTo("[\"WORK_LINKED_TRAINING\"]");
        assertThat(planted.path("sharedRegions").toString()).isEqualTo("[\"TANGER_TETOUAN_AL_HOCEIMA\"]");
        assertThat(planted.path("sharedTargetGroups").toString()).isEqualTo("[\"YOUTH\"]");
        assertThat(planted.path("overlapDays").asLong()).isEqualTo(273);
        assertThat(planted.path("score").decimalValue()).isBetween(BigDecimal.ZERO, BigDecimal.ONE);
        assertThat(planted.path("reasons").toString()).contains("neither ANAPEC nor OFPPT");
        assertThat(duplications.path("clusters").toString()).contains(Scenario.DUPLICATE_A);
        assertThat(duplications.path("freshness").path("asOfSequence").asLong()).isPositive();
    }

    @Test
    void aDeclaredPartnershipMakesThePairJointInsteadOfADuplication() {
        JsonNode duplications = Http.get(system.queryUrl() + "/api/convergence/duplications?region=ORIENTAL").json();
        JsonNode joint = Http.get(system.queryUrl() + "/api/convergence/joint?axis=WORK_LINKED_TRAINING").json();

        assertThat(pairOf(duplications.path("pairs"), Scenario.JOINT_A, Scenario.JOINT_B)).isNull();
        assertThat(pairOf(joint.path("overlappingPartnerActivities"), Scenario.JOINT_A, Scenario.JOINT_B))
                .isNotNull();
        assertThat(joint.path("axes").toString()).contains(Scenario.JOINT_A, "\"agency\":\"GIZ\"");
    }

    @Test
    void thePlantedGapIsReportedWithTheNationalActivityBesideIt() {
        JsonNode gaps = Http.get(system.queryUrl() + "/api/convergence/gaps?axis=CHILD_LABOUR").json();

        assertThat(gaps.path("gaps")).hasSize(1);
        assertThat(gaps.path("gaps").get(0).path("region").asText()).isEqualTo(Scenario.GAP_REGION);
        assertThat(gaps.path("gaps").get(0).path("nationalActivities").toString()).contains("CNSS:CL-NAT-2025");
    }

    @Test
    void aCancellationRemovesALikelyDuplication() {
        String anapec = proposeIn("ANAPEC", "GENDER", "DRAA_TAFILALET");
        String ofppt = proposeIn("OFPPT", "GENDER", "DRAA_TAFILALET");
        awaitPair(anapec, ofppt, true);

        assertThat(Ledger.post(system, system.commandUrl() + "/api/activities/" + ofppt + "/cancellation",
                Map.of("cancelledOn", "2024-01-10", "reason", "Duplicate of " + anapec)).status()).isEqualTo(200);

        awaitPair(anapec, ofppt, false);
    }

    @Test
    void revisingARegionMakesADuplicationAppearAndDisappear() {
        String anapec = proposeIn("ANAPEC", "GENDER", "GUELMIM_OUED_NOUN");
        String ofppt = proposeIn("OFPPT", "GENDER", "ORIENTAL");
        awaitVisible(ofppt);
        assertThat(duplicationBetween(anapec, ofppt)).isFalse();

        revise(ofppt, "GUELMIM_OUED_NOUN");
        awaitPair(anapec, ofppt, true);

        revise(ofppt, "ORIENTAL");
        awaitPair(anapec, ofppt, false);
    }

    @Test
    void theViewAsOfAPastInstantHoldsOnlyWhatWasRecordedByThen() {
        String anapec = proposeFor("ANAPEC", "RURAL_WOMEN");
        awaitVisible(anapec);
        Instant between = Instant.now();
        await().atMost(Duration.ofSeconds(5)).until(() -> Instant.now().isAfter(between.plusMillis(20)));
        String ofppt = proposeFor("OFPPT", "RURAL_WOMEN");
        await().atMost(Duration.ofSeconds(30)).until(() -> pairOf(Http.get(system.queryUrl()
                + "/api/convergence/duplications?targetGroup=RURAL_WOMEN").json().path("pairs"), anapec, ofppt) != null);

        JsonNode then = Http.get(system.queryUrl() + "/api/convergence/duplications?targetGroup=RURAL_WOMEN&asOf="
                + between).json();
        JsonNode thenMatrix = Http.get(system.queryUrl()
                + "/api/convergence/matrix?rows=axis&cols=agency&targetGroup=RURAL_WOMEN&asOf=" + between).json();
        JsonNode beforeEverything = Http.get(system.queryUrl()
                + "/api/convergence/matrix?rows=axis&cols=agency&asOf=2000-01-01T00:00:00Z").json();

        assertThat(pairOf(then.path("pairs"), anapec, ofppt)).isNull();
        assertThat(cell(thenMatrix, "GENDER", "ANAPEC")).isNotNull();
        assertThat(cell(thenMatrix, "GENDER", "OFPPT")).isNull();
        assertThat(then.path("freshness").path("asOfSequence").asLong())
                .isLessThan(system.commandDatabase().queryForObject(
                        "SELECT globalindex FROM domainevententry WHERE aggregateidentifier = ?", Long.class, ofppt));
        assertThat(beforeEverything.path("cells")).isEmpty();
        assertThat(Http.get(system.queryUrl() + "/api/convergence/gaps?asOf=soon").status()).isEqualTo(400);
    }

    @Test
    void aCountsActivitiesAreListedAndAnAgencysIncludeThoseItJoins() {
        String led = proposeFor("ANAPEC", "PERSONS_WITH_DISABILITIES");
        awaitVisible(led);
        Instant between = Instant.now();
        await().atMost(Duration.ofSeconds(5)).until(() -> Instant.now().isAfter(between.plusMillis(20)));
        String id = Ledger.newActivityId("ILO", "JOINS");
        Map<String, Object> body = new HashMap<>(Ledger.proposal(id, "ILO"));
        body.put("axes", List.of("GENDER"));
        body.put("regions", List.of("SOUSS_MASSA"));
        body.put("targetGroups", List.of("PERSONS_WITH_DISABILITIES"));
        body.put("partners", List.of(Map.of("agency", "ANAPEC", "role", "IMPLEMENTING")));
        assertThat(Ledger.post(system, system.commandUrl() + "/api/activities", body).status()).isEqualTo(201);
        awaitVisible(id);
        String scope = "axis=GENDER&region=SOUSS_MASSA&targetGroup=PERSONS_WITH_DISABILITIES";

        JsonNode matrix = Http.get(system.queryUrl() + "/api/convergence/matrix?rows=axis&cols=agency&" + scope).json();
        JsonNode cell = Http.get(system.queryUrl() + "/api/convergence/activities?agency=ANAPEC&" + scope).json();
        assertThat(cell.path("total").asLong()).isEqualTo(cell(matrix, "GENDER", "ANAPEC").path("activities").asLong());
        assertThat(ids(cell)).contains(led).doesNotContain(id);
        assertThat(cell.path("items").get(0).path("plannedCurrency").asText()).isEqualTo("MAD");

        JsonNode involving = Http.get(system.queryUrl() + "/api/convergence/activities?involving=ANAPEC&" + scope).json();
        assertThat(ids(involving)).contains(led, id);
        JsonNode joined = involving.path("items").get(ids(involving).indexOf(id));
        assertThat(joined.path("leadAgency").asText()).isEqualTo("ILO");
        assertThat(joined.path("partners").toString()).contains("\"agency\":\"ANAPEC\"").contains("IMPLEMENTING");

        JsonNode then = Http.get(system.queryUrl() + "/api/convergence/activities?involving=ANAPEC&" + scope
                + "&knownAt=" + between).json();
        assertThat(ids(then)).contains(led).doesNotContain(id);
        assertThat(then.path("freshness").path("knownAt").asText()).isEqualTo(between.toString());

        JsonNode first = Http.get(system.queryUrl() + "/api/convergence/activities?involving=ANAPEC&limit=1").json();
        assertThat(first.path("items")).hasSize(1);
        assertThat(first.path("truncated").asBoolean()).isTrue();
        assertThat(first.path("total").asLong()).isGreaterThan(1);
        assertThat(Http.get(system.queryUrl() + "/api/convergence/activities?involving=anapec").status())
                .isEqualTo(400);
    }

    @Test
    void anAgencySaysWhenItLastReported() {
        String id = proposeFor("CNOPS", "YOUTH");
        awaitVisible(id);
        Instant recorded = Instant.parse(Http.get(system.queryUrl() + "/api/activities/" + id).json()
                .path("updatedAt").asText());

        JsonNode now = Http.get(system.queryUrl() + "/api/agencies/CNOPS").json();
        JsonNode before = Http.get(system.queryUrl() + "/api/agencies/CNOPS?knownAt=2000-01-01T00:00:00Z").json();

        assertThat(now.path("name").asText()).isNotBlank();
        assertThat(Instant.parse(now.path("lastReportedAt").asText())).isAfterOrEqualTo(recorded);
        assertThat(now.path("eventsReported").asLong()).isPositive();
        assertThat(before.path("eventsReported").asLong()).isZero();
        assertThat(before.path("lastReportedAt").isNull()).isTrue();
        Http.Response unknown = Http.get(system.queryUrl() + "/api/agencies/NOBODY");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.header("Content-Type")).startsWith("application/problem+json");
    }

    private static List<String> ids(JsonNode activities) {
        List<String> ids = new ArrayList<>();
        activities.path("items").forEach(item -> ids.add(item.path("id").asText()));
        return ids;
    }

    private static String proposeFor(String agency, String targetGroup) {
        String id = Ledger.newActivityId(agency, "THEN");
        Map<String, Object> body = new HashMap<>(Ledger.proposal(id, agency));
        body.put("axes", List.of("GENDER"));
        body.put("regions", List.of("SOUSS_MASSA"));
        body.put("targetGroups", List.of(targetGroup));
        body.put("partners", List.of());
        Http.Response response = Ledger.post(system, system.commandUrl() + "/api/activities", body);
        assertThat(response.status()).as(response.raw().body()).isEqualTo(201);
        return id;
    }

    @Test
    void theMatricesCountByStateAndKeepCurrenciesApart() {
        JsonNode byRegion = Http.get(system.queryUrl()
                + "/api/convergence/matrix?rows=axis&cols=region&axis=CHILD_LABOUR").json();
        JsonNode marrakech = cell(byRegion, "CHILD_LABOUR", "MARRAKECH_SAFI");
        assertThat(marrakech.path("activities").asLong()).isEqualTo(1);
        assertThat(marrakech.path("byState").path("COMMITTED").asLong()).isEqualTo(1);
        assertThat(marrakech.path("budget").path("planned").path("MAD").decimalValue()).isEqualByComparingTo("1000000");
        assertThat(cell(byRegion, "CHILD_LABOUR", "DRAA_TAFILALET")).isNull();

        JsonNode byAgency = Http.get(system.queryUrl()
                + "/api/convergence/matrix?rows=axis&cols=agency&axis=CHILD_LABOUR").json();
        assertThat(cell(byAgency, "CHILD_LABOUR", "ILO").path("budget").path("planned").path("USD").decimalValue())
                .isEqualByComparingTo("2000000");
        assertThat(cell(byAgency, "CHILD_LABOUR", "ILO").path("budget").path("planned").has("MAD")).isFalse();

        JsonNode regionByAgency = Http.get(system.queryUrl()
                + "/api/convergence/matrix?rows=region&cols=agency&agency=CNSS&state=SUSPENDED").json();
        assertThat(cell(regionByAgency, "CASABLANCA_SETTAT", "CNSS").path("activities").asLong()).isEqualTo(1);
        assertThat(regionByAgency.path("cells")).hasSize(1);
    }

    @Test
    void progressCountsTheStatesReachedAndTheBudgetExecuted() {
        JsonNode progress = Http.get(system.queryUrl() + "/api/convergence/progress?axis=CHILD_LABOUR").json();
        JsonNode childLabour = progress.path("axes").get(0);

        assertThat(childLabour.path("key").asText()).isEqualTo("CHILD_LABOUR");
        assertThat(childLabour.path("reached").path("PROPOSED").asLong()).isEqualTo(3);
        assertThat(childLabour.path("reached").path("COMMITTED").asLong()).isEqualTo(2);
        assertThat(childLabour.path("reached").path("STARTED").asLong()).isEqualTo(1);
        assertThat(childLabour.path("reached").path("COMPLETED").asLong()).isZero();

        JsonNode ofppt = find(Http.get(system.queryUrl()
                + "/api/convergence/progress?agency=OFPPT&from=2024-01-01&to=2024-12-31&axis=SKILLS_PARTNERSHIP")
                .json().path("agencies"), "OFPPT");
        assertThat(ofppt.path("reached").path("COMPLETED").asLong()).isEqualTo(1);
        assertThat(ofppt.path("completionRate").decimalValue()).isEqualByComparingTo("1");
        assertThat(ofppt.path("budgetExecution").path("MAD").path("rate").decimalValue())
                .isEqualByComparingTo("0.92");
        assertThat(ofppt.path("beneficiariesReached").asLong()).isEqualTo(75);
    }

    @Test
    void badFiltersAre400NamingTheParameter() {
        Http.Response badState = Http.get(system.queryUrl() + "/api/convergence/matrix?state=DONE");
        Http.Response badDate = Http.get(system.queryUrl() + "/api/convergence/gaps?from=2024-02-30");
        Http.Response badDimension = Http.get(system.queryUrl() + "/api/convergence/matrix?rows=colour");

        assertThat(badState.status()).isEqualTo(400);
        assertThat(badState.json().path("parameter").asText()).isEqualTo("state");
        assertThat(badDate.status()).isEqualTo(400);
        assertThat(badDate.json().path("parameter").asText()).isEqualTo("from");
        assertThat(badDimension.status()).isEqualTo(400);
        assertThat(badDimension.header("Content-Type")).startsWith("application/problem+json");
    }

    @Test
    void theStreamNamesWhatChanged() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<java.io.InputStream> stream = client.send(HttpRequest.newBuilder(
                URI.create(system.queryUrl() + "/api/convergence/stream")).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            assertThat(lines.readLine()).isEqualTo("event:hello");
            String id = Ledger.newActivityId("ILO", "STREAMED");
            CompletableFuture<String> message = CompletableFuture.supplyAsync(() -> {
                try {
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        if (line.startsWith("data:") && line.contains(id)) {
                            return line;
                        }
                    }
                    return null;
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertThat(Ledger.propose(system, id, "ILO").status()).isEqualTo(201);

            // A batch may carry other changes too: what matters is that this one is named.
            JsonNode change = Http.JSON.readTree(message.get(30, TimeUnit.SECONDS).substring("data:".length()));
            assertThat(change.path("activities").toString()).contains(id);
            assertThat(change.path("axes").toString()).contains("WORK_LINKED_TRAINING");
            assertThat(change.path("agencies").toString()).contains("ILO");
            assertThat(change.path("asOfSequence").asLong()).isPositive();
        } finally {
            stream.body().close();
        }
    }

    @Test
    void aReaderThatLostItsConnectionGetsWhatItMissedByLastEventId() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        String first = Ledger.newActivityId("ILO", "BEFORE-LOSS");
        String lastId;
        HttpResponse<java.io.InputStream> stream = openStream(client, null);
        try (BufferedReader lines = reader(stream)) {
            assertThat(lines.readLine()).isEqualTo("event:hello");
            assertThat(lines.readLine()).as("the hello gives a place in the stream").startsWith("id:");
            CompletableFuture<String> seen = CompletableFuture.supplyAsync(() -> idOfMessageNaming(lines, first));
            assertThat(Ledger.propose(system, first, "ILO").status()).isEqualTo(201);
            lastId = seen.get(30, TimeUnit.SECONDS);
        } finally {
            stream.body().close();
        }
        assertThat(lastId).isNotNull();
        // While the reader is away, another change.
        String missed = Ledger.newActivityId("ILO", "WHILE-AWAY");
        assertThat(Ledger.propose(system, missed, "ILO").status()).isEqualTo(201);
        Ledger.awaitSettled(system, missed);

        HttpResponse<java.io.InputStream> again = openStream(client, lastId);
        try (BufferedReader lines = reader(again)) {
            assertThat(lines.readLine()).isEqualTo("event:hello");
            CompletableFuture<String> resent = CompletableFuture.supplyAsync(() -> idOfMessageNaming(lines, missed));
            assertThat(resent.get(30, TimeUnit.SECONDS)).isNotNull();
        } finally {
            again.body().close();
        }
        // An id from another run of the service (or too old to resend from): told to read everything again.
        HttpResponse<java.io.InputStream> stale = openStream(client, "0abc.12");
        try (BufferedReader lines = reader(stale)) {
            assertThat(lines.readLine()).isEqualTo("event:hello");
            CompletableFuture<String> reset = CompletableFuture.supplyAsync(() -> {
                try {
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        if (line.startsWith("event:")) {
                            return line;
                        }
                    }
                    return null;
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertThat(reset.get(30, TimeUnit.SECONDS)).isEqualTo("event:reset");
        } finally {
            stale.body().close();
        }
    }

    @Test
    void theStreamServesAsManyReadersAsItIsSetForAndRefusesTheNextWith429() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        List<HttpResponse<java.io.InputStream>> open = new ArrayList<>();
        HttpResponse<java.io.InputStream> refused = null;
        try {
            // Readers left by earlier tests may still count until a message finds them gone: at most the limit.
            for (int i = 0; i <= LedgerSystem.STREAM_READERS && refused == null; i++) {
                HttpResponse<java.io.InputStream> response = openStream(client, null);
                if (response.statusCode() == 200) {
                    assertThat(reader(response).readLine()).isEqualTo("event:hello");
                    open.add(response);
                } else {
                    refused = response;
                }
            }
            assertThat(refused).as("a reader past the limit").isNotNull();
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(refused.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
            assertThat(new String(refused.body().readAllBytes(), StandardCharsets.UTF_8)).contains("readers");
        } finally {
            for (HttpResponse<java.io.InputStream> response : open) {
                response.body().close();
            }
        }
        // Readers that left are found gone by the stream's keep-alive (every 5 s), with no change to send, and their
        // places are free again.
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            HttpResponse<java.io.InputStream> response = openStream(client, null);
            response.body().close();
            return response.statusCode() == 200;
        });
    }

    private static HttpResponse<java.io.InputStream> openStream(HttpClient client, String lastEventId)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(system.queryUrl()
                + "/api/convergence/stream")).GET();
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    private static BufferedReader reader(HttpResponse<java.io.InputStream> response) {
        return new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
    }

    /** Reads messages until one names the activity; returns that message's id. */
    private static String idOfMessageNaming(BufferedReader lines, String activityId) {
        try {
            String id = null;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("id:")) {
                    id = line.substring("id:".length());
                } else if (line.startsWith("data:") && line.contains(activityId)) {
                    return id;
                }
            }
            return null;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aRebuiltViewIsIdenticalToTheLiveOneAndReadersSeeTheOldViewUntilTheSwap() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> caughtUp());
        Map<String, String> live = digests();
        String title = Http.get(system.queryUrl() + "/api/activities/" + Scenario.DUPLICATE_A).json().path("title")
                .asText();
        // Damage the view the way only a rebuild from the facts can repair.
        system.queryDatabase().update("UPDATE activity_view SET title = 'tampered' WHERE id = ?", Scenario.DUPLICATE_A);
        system.queryDatabase().update("DELETE FROM convergence_pair WHERE activity_a = ?", Scenario.DUPLICATE_A);
        assertThat(digests()).isNotEqualTo(live);

        // Readers all along: every answer is the old view or the new one, and once new, never old again.
        List<String> titles = java.util.Collections.synchronizedList(new ArrayList<>());
        List<String> pairsSeen = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicBoolean reading = new java.util.concurrent.atomic.AtomicBoolean(true);
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
            while (reading.get()) {
                Http.Response activity = Http.get(system.queryUrl() + "/api/activities/" + Scenario.DUPLICATE_A);
                Http.Response pairs = Http.get(system.queryUrl()
                        + "/api/convergence/duplications?region=TANGER_TETOUAN_AL_HOCEIMA&axis=WORK_LINKED_TRAINING");
                titles.add(activity.status() + " " + activity.json().path("title").asText());
                pairsSeen.add(pairs.status() + " " + (pairOf(pairs.json().path("pairs"), Scenario.DUPLICATE_A,
                        Scenario.DUPLICATE_B) != null));
            }
        });
        Http.Response rebuild = Ledger.admin(system).post(system.queryUrl()
                + "/api/admin/projections/activity-view/rebuild", "");
        assertThat(rebuild.status()).as(rebuild.raw().body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> "completed".equals(
                Ledger.admin(system).get(system.queryUrl() + "/api/admin/projections/activity-view/rebuild").json()
                        .path("state").asText()));
        Thread.sleep(200);
        reading.set(false);
        reader.get(30, TimeUnit.SECONDS);

        assertThat(digests()).isEqualTo(live);
        assertThat(live.get("convergence_pair")).isNotEqualTo(digestOfNothing());
        JsonNode status = Ledger.admin(system).get(system.queryUrl()
                + "/api/admin/projections/activity-view/rebuild").json();
        assertThat(status.path("events").asLong()).isPositive();
        assertThat(status.path("rows").path("activity_version").asLong()).isPositive();
        assertOldThenNew(List.copyOf(titles), "200 tampered", "200 " + title);
        assertOldThenNew(List.copyOf(pairsSeen), "200 false", "200 true");
    }

    @Test
    void aProjectionPausedByAnAdministratorStaysPausedThroughARebuild() {
        await().atMost(Duration.ofSeconds(60)).until(() -> caughtUp());
        String projections = system.queryUrl() + "/api/admin/projections/activity-view/";
        assertThat(Ledger.admin(system).post(projections + "pause", "").status()).isEqualTo(200);
        try {
            assertThat(Ledger.admin(system).post(projections + "rebuild", "").status()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> "completed"
                    .equals(Ledger.admin(system).get(projections + "rebuild").json().path("state").asText()));

            JsonNode health = Ledger.admin(system).get(system.queryUrl() + "/actuator/health").json();
            assertThat(health.path("components").path("projectionLag").path("details").path("activity-view")
                    .path("running").asBoolean(true)).isFalse();
        } finally {
            assertThat(Ledger.admin(system).post(projections + "resume", "").status()).isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> caughtUp());
    }

    private static void assertOldThenNew(List<String> answers, String old, String rebuilt) {
        assertThat(answers).contains(old).allMatch(answer -> answer.equals(old) || answer.equals(rebuilt));
        assertThat(answers.get(answers.size() - 1)).isEqualTo(rebuilt);
        assertThat(answers.subList(answers.indexOf(rebuilt), answers.size())).containsOnly(rebuilt);
    }

    private static boolean caughtUp() {
        long head = system.commandDatabase().queryForObject("SELECT max(globalindex) FROM domainevententry",
                Long.class);
        // The complete prefix, not the furthest event: a partition running ahead leaves events below it missing.
        Long applied = system.queryDatabase().queryForObject(
                "SELECT max(complete_sequence) FROM projection_position WHERE projection = 'activity-view'",
                Long.class);
        return applied != null && applied >= head;
    }

    private static Map<String, String> digests() {
        Map<String, String> digests = new HashMap<>();
        for (String table : Projections.ACTIVITY_VIEW_TABLES) {
            digests.put(table, system.queryDatabase().queryForObject(
                    "SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM " + table + " t",
                    String.class));
        }
        return digests;
    }

    private static String digestOfNothing() {
        return system.queryDatabase().queryForObject("SELECT md5('')", String.class);
    }

    private static String proposeIn(String agency, String axis, String region) {
        String id = Ledger.newActivityId(agency, "CONV");
        Map<String, Object> body = new HashMap<>(Ledger.proposal(id, agency));
        body.put("axes", List.of(axis));
        body.put("regions", List.of(region));
        body.put("targetGroups", List.of("WOMEN"));
        body.put("partners", List.of());
        Http.Response response = Ledger.post(system, system.commandUrl() + "/api/activities", body);
        assertThat(response.status()).as(response.raw().body()).isEqualTo(201);
        return id;
    }

    private static void revise(String id, String region) {
        Http.Response response = Ledger.post(system, system.commandUrl() + "/api/activities/" + id + "/revision",
                Map.of("regions", List.of(region), "reason", "Moved to " + region));
        assertThat(response.status()).as(response.raw().body()).isEqualTo(200);
    }

    private static void awaitVisible(String id) {
        await().atMost(Duration.ofSeconds(30)).until(
                () -> Http.get(system.queryUrl() + "/api/activities/" + id).status() == 200);
    }

    private static void awaitPair(String a, String b, boolean present) {
        await().atMost(Duration.ofSeconds(30)).until(() -> duplicationBetween(a, b) == present);
    }

    private static boolean duplicationBetween(String a, String b) {
        String agency = a.substring(0, a.indexOf(':'));
        JsonNode pairs = Http.get(system.queryUrl() + "/api/convergence/duplications?axis=GENDER&agency=" + agency)
                .json().path("pairs");
        return pairOf(pairs, a, b) != null;
    }

    private static JsonNode pairOf(JsonNode pairs, String a, String b) {
        for (JsonNode pair : pairs) {
            List<String> ids = new ArrayList<>(List.of(pair.path("first").path("id").asText(),
                    pair.path("second").path("id").asText()));
            if (ids.contains(a) && ids.contains(b)) {
                return pair;
            }
        }
        return null;
    }

    private static JsonNode cell(JsonNode matrix, String row, String col) {
        for (JsonNode cell : matrix.path("cells")) {
            if (cell.path("row").asText().equals(row) && cell.path("col").asText().equals(col)) {
                return cell;
            }
        }
        return null;
    }

    private static JsonNode find(JsonNode progress, String key) {
        for (JsonNode entry : progress) {
            if (entry.path("key").asText().equals(key)) {
                return entry;
            }
        }
        throw new AssertionError("no progress entry " + key + " in " + progress);
    }
}
