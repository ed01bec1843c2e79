package org.convergenceledger.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The steering committee decides on a flagged pair: only a coordinator may, over HTTP or on its Kafka topic; the
 * duplication read shows the decision and its history, reopens the pair when an activity's period changes, and
 * answers as known at a past moment.
 */
class DuplicationDecisionIT extends OnTheLedger {

    @Test
    void aCoordinatorsDecisionIsShownUntilAnActivityChangesAndThenReopens() throws Exception {
        String anapec = Ledger.newActivityId("ANAPEC", "DEC");
        String ofppt = Ledger.newActivityId("OFPPT", "DEC");
        for (String id : List.of(anapec, ofppt)) {
            Map<String, Object> proposal = new LinkedHashMap<>(Ledger.proposal(id, id.substring(0, id.indexOf(':'))));
            proposal.put("axes", List.of("LEGAL_MIGRATION"));
            proposal.put("regions", List.of("LAAYOUNE_SAKIA_EL_HAMRA"));
            proposal.put("targetGroups", List.of("EMPLOYERS"));
            assertThat(Ledger.post(system, system.commandUrl() + "/api/activities", proposal).status())
                    .isEqualTo(201);
        }
        assertThat(awaitPair(anapec, ofppt, pair -> true).path("review").path("status").asText())
                .isEqualTo("OPEN");
        String decision = system.commandUrl() + "/api/convergence/duplications/" + ofppt + "/" + anapec + "/decision";
        Http.As coordinator = Http.as(system.key("COORDINATOR"));

        assertThat(Http.as(system.key("ANAPEC")).post(decision, Map.of("decision", "UNDER_REVIEW")).status())
                .isEqualTo(403);
        Http.Response unexplained = coordinator.post(decision, Map.of("decision", "COMPLEMENTARY"));
        assertThat(unexplained.status()).isEqualTo(400);
        assertThat(unexplained.json().toString()).contains("reason", "must say why both go on");
        Http.Response decided = coordinator.post(decision, Map.of("decision", "COMPLEMENTARY",
                "reason", "ANAPEC places employers' staff abroad, OFPPT trains them at home"));
        assertThat(decided.status()).as(decided.raw().body()).isEqualTo(200);
        String pairId = decided.json().path("pairId").asText();
        assertThat(pairId).isEqualTo("pair:" + anapec + "+" + ofppt);

        JsonNode complementary = awaitPair(anapec, ofppt, pair -> status(pair).equals("COMPLEMENTARY"));
        assertThat(complementary.path("review").path("latest").path("decidedBy").asText()).isEqualTo("COORDINATOR");
        assertThat(complementary.path("review").path("latest").path("reason").asText())
                .startsWith("ANAPEC places employers' staff abroad");
        Thread.sleep(20);
        Instant beforeTheRevision = Instant.now();
        Thread.sleep(20);

        assertThat(Ledger.post(system, system.commandUrl() + "/api/activities/" + anapec + "/revision",
                Map.of("plannedPeriod", Map.of("start", "2024-03-01", "end", "2025-06-30"),
                        "reason", "extended to June")).status()).isEqualTo(200);
        JsonNode reopened = awaitPair(anapec, ofppt, pair -> status(pair).equals("REOPENED"));
        assertThat(reopened.path("review").path("latest").path("decision").asText()).isEqualTo("COMPLEMENTARY");
        assertThat(reopened.path("review").path("history")).hasSize(1);

        // Only the coordinators' topic decides over Kafka: an agency's own topic is refused.
        Map<String, Object> duplicate = Map.of("first", anapec, "second", ofppt, "decision", "DUPLICATE",
                "continuing", ofppt, "reason", "One programme is enough");
        JsonNode fromAnAgency = AgencyTopics.sendAndAwaitOutcome(system, "ANAPEC", pairId, "DecideDuplication",
                duplicate);
        assertThat(fromAnAgency.path("status").asText()).isEqualTo("REJECTED");
        assertThat(fromAnAgency.path("problem").path("code").asText()).isEqualTo("not-permitted");
        JsonNode fromCoordinators = AgencyTopics.sendAndAwaitOutcome(system, "COORDINATOR", pairId,
                "DecideDuplication", duplicate);
        assertThat(fromCoordinators.path("status").asText()).as(fromCoordinators.toString()).isEqualTo("ACCEPTED");
        JsonNode redecided = awaitPair(anapec, ofppt, pair -> status(pair).equals("DUPLICATE"));
        assertThat(redecided.path("review").path("latest").path("continuing").asText()).isEqualTo(ofppt);
        assertThat(redecided.path("review").path("history")).hasSize(2);

        // As known before the revision: the first decision, holding.
        JsonNode then = pairOf(Http.get(system.queryUrl() + "/api/convergence/duplications"
                + "?region=LAAYOUNE_SAKIA_EL_HAMRA&axis=LEGAL_MIGRATION&knownAt=" + beforeTheRevision).json(),
                anapec, ofppt);
        assertThat(then.path("review").path("status").asText()).isEqualTo("COMPLEMENTARY");
        assertThat(then.path("review").path("history")).hasSize(1);

        // The audit trail has the decisions with who recorded them (its own processor: it may trail the view).
        await().atMost(Duration.ofSeconds(30)).until(() -> Ledger.auditor(system).get(system.queryUrl()
                + "/api/audit/activities/" + pairId + "/history").json().path("events").size() == 2);
        assertThat(Ledger.auditor(system).get(system.queryUrl() + "/api/audit/activities/" + pairId + "/history")
                .raw().body()).contains("DuplicationDecided", "\"recordedBy\":\"COORDINATOR\"");
    }

    private static String status(JsonNode pair) {
        return pair.path("review").path("status").asText();
    }

    private static JsonNode awaitPair(String a, String b, Predicate<JsonNode> until) {
        JsonNode[] found = {null};
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode answer = Http.get(system.queryUrl()
                    + "/api/convergence/duplications?region=LAAYOUNE_SAKIA_EL_HAMRA&axis=LEGAL_MIGRATION").json();
            for (JsonNode pair : answer.path("pairs")) {
                if (Set.of(pair.path("first").path("id").asText(), pair.path("second").path("id").asText())
                        .equals(Set.of(a, b)) && until.test(pair)) {
                    found[0] = pair;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    private static JsonNode pairOf(JsonNode answer, String a, String b) {
        for (JsonNode pair : answer.path("pairs")) {
            if (Set.of(pair.path("first").path("id").asText(), pair.path("second").path("id").asText())
                    .equals(Set.of(a, b))) {
                return pair;
            }
        }
        throw new AssertionError("no pair " + a + " / " + b + " in " + answer);
    }
}
