package org.convergenceledger.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A coordinator closes CNOPS's 2019 (a year no other test writes in): a step dated inside it is refused with 409 over
 * HTTP and Kafka alike, recorded when sent as a correction with its reason — which the event's hash then covers —
 * and listed under the period by the query service; a correction of an open date is refused as nothing to correct.
 */
class ClosedPeriodIT extends OnTheLedger {

    @Test
    void aFactDatedInAClosedPeriodIsRecordedOnlyAsACorrectionAndListedUnderIt() throws Exception {
        Http.As coordinator = Http.as(system.key("COORDINATOR"));
        String periods = system.commandUrl() + "/api/convergence/closed-periods";
        Map<String, Object> closing = Map.of("agency", "CNOPS", "from", "2019-01-01", "to", "2019-12-31",
                "reason", "2019 accounts closed");
        assertThat(Http.as(system.key("CNOPS")).post(periods, closing).status()).isEqualTo(403);
        Http.Response closed = coordinator.post(periods, closing);
        if (closed.status() == 409) {
            // A second run on a kept ledger (-Dledger.it.keep): the period is closed already, once and for good.
            assertThat(closed.json().path("code").asText()).isNotBlank();
        } else {
            assertThat(closed.status()).as(closed.raw().body()).isEqualTo(201);
            assertThat(closed.json().path("periodId").asText()).isEqualTo("period:CNOPS:2019-01-01..2019-12-31");
        }

        String id = Ledger.newActivityId("CNOPS", "CLOSED");
        assertThat(Ledger.propose(system, id, "CNOPS").status()).isEqualTo(201);
        String activity = system.commandUrl() + "/api/activities/" + id;
        Map<String, Object> commitment = Map.of("committedAmount", Map.of("amount", 900000, "currency", "MAD"),
                "committedOn", "2019-06-01");
        Http.Response refused = Ledger.post(system, activity + "/commitment", commitment);
        assertThat(refused.status()).as(refused.raw().body()).isEqualTo(409);
        assertThat(refused.json().path("code").asText()).isEqualTo("period-closed");
        assertThat(refused.json().path("title").asText()).isEqualTo("Dated inside a closed reporting period");
        assertThat(refused.json().path("detail").asText()).contains("2019-01-01 to 2019-12-31", "Correction-Reason");

        Http.Response corrected = Ledger.post(system, activity + "/commitment", commitment,
                "Correction-Reason", "commitment signed in June 2019, reported late");
        assertThat(corrected.status()).as(corrected.raw().body()).isEqualTo(200);
        byte[] metadata = system.commandDatabase().queryForObject("SELECT metadata FROM domainevententry "
                + "WHERE aggregateidentifier = ? ORDER BY sequencenumber DESC LIMIT 1", byte[].class, id);
        assertThat(new String(metadata, StandardCharsets.UTF_8)).contains("\"correction\":\"true\"")
                .contains("\"correctionReason\":\"commitment signed in June 2019, reported late\"");

        // Over Kafka, the same rule; the reason travels in the ledger-correction-reason header.
        Map<String, Object> start = Map.of("activityId", id, "startedOn", "2019-07-01");
        JsonNode withoutReason = AgencyTopics.sendAndAwaitOutcome(system, "CNOPS", id, "StartActivity", start);
        assertThat(withoutReason.path("status").asText()).isEqualTo("REJECTED");
        assertThat(withoutReason.path("problem").path("code").asText()).isEqualTo("period-closed");
        JsonNode withReason = AgencyTopics.sendAndAwaitOutcome(system, "CNOPS", id, "StartActivity", start,
                Map.of("ledger-correction-reason", "start reported late"));
        assertThat(withReason.path("status").asText()).as(withReason.toString()).isEqualTo("ACCEPTED");

        // The coordinators' topic closes a period too (CNOPS's 2017, keyed by the period's id); an agency's cannot.
        Map<String, Object> closing2017 = Map.of("agency", "CNOPS", "from", "2017-01-01", "to", "2017-12-31");
        String period2017 = "period:CNOPS:2017-01-01..2017-12-31";
        JsonNode byAgency = AgencyTopics.sendAndAwaitOutcome(system, "CNOPS", period2017, "ClosePeriod", closing2017);
        assertThat(byAgency.path("problem").path("code").asText()).isEqualTo("not-permitted");
        JsonNode byCoordinators = AgencyTopics.sendAndAwaitOutcome(system, "COORDINATOR", period2017, "ClosePeriod",
                closing2017);
        assertThat(byCoordinators.path("status").asText()).as(byCoordinators.toString())
                .isIn("ACCEPTED", "REJECTED");
        if (byCoordinators.path("status").asText().equals("REJECTED")) {
            // A kept ledger from an earlier run: closed then, once and for good.
            assertThat(byCoordinators.path("problem").path("code").asText()).isEqualTo("already-exists");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(system.queryUrl()
                + "/api/convergence/closed-periods?agency=CNOPS").raw().body().contains(period2017));

        // Nothing to correct in an open period.
        Http.Response needless = Ledger.post(system, activity + "/suspension",
                Map.of("suspendedOn", "2025-01-10", "reason", "winter"), "Correction-Reason", "just in case");
        assertThat(needless.status()).isEqualTo(400);
        assertThat(needless.raw().body()).contains("nothing to correct");

        await().atMost(Duration.ofSeconds(30)).until(() -> corrections(id).size() == 2);
        JsonNode listed = corrections(id);
        assertThat(listed.get(0).path("eventType").asText()).isEqualTo("ActivityCommitted");
        assertThat(listed.get(0).path("datedOn").asText()).isEqualTo("2019-06-01");
        assertThat(listed.get(0).path("reason").asText()).isEqualTo("commitment signed in June 2019, reported late");
        assertThat(listed.get(1).path("eventType").asText()).isEqualTo("ActivityStarted");
        assertThat(listed.get(1).path("recordedBy").asText()).isEqualTo("CNOPS");

        // The corrections' envelopes are inside their hashes: the chain still verifies.
        JsonNode verification = Ledger.auditor(system).get(system.commandUrl() + "/api/audit/verification").json();
        assertThat(verification.path("intact").asBoolean()).as(verification.toString()).isTrue();
    }

    /** The corrections of that activity listed under CNOPS's 2019. */
    private static JsonNode corrections(String activityId) {
        JsonNode answer = Http.get(system.queryUrl() + "/api/convergence/closed-periods?agency=CNOPS").json();
        for (JsonNode period : answer.path("periods")) {
            if (period.path("periodId").asText().equals("period:CNOPS:2019-01-01..2019-12-31")) {
                com.fasterxml.jackson.databind.node.ArrayNode mine = Http.JSON.createArrayNode();
                period.path("corrections").forEach(correction -> {
                    if (correction.path("activityId").asText().equals(activityId)) {
                        mine.add(correction);
                    }
                });
                return mine;
            }
        }
        return Http.JSON.createArrayNode();
    }
}
