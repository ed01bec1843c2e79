package org.convergenceledger.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Idempotent retries and every error status of the command API, as an agency's system meets them. */
class CommandApiIT extends OnTheLedger {

    @Test
    void aRetryWithTheSameKeyGetsTheFirstAnswerAndStoresNothingNew() {
        String id = Ledger.newActivityId("ANAPEC", "IDEM");
        String key = "retry-" + id.replace(':', '-');
        Map<String, Object> body = Ledger.proposal(id, "ANAPEC");

        Http.Response first = Ledger.post(system, system.commandUrl() + "/api/activities", body, "Idempotency-Key", key);
        Http.Response again = Ledger.post(system, system.commandUrl() + "/api/activities", body, "Idempotency-Key", key);

        assertThat(first.status()).as(first.raw().body()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.json()).isEqualTo(first.json());
        assertThat(again.header("Location")).isEqualTo(first.header("Location"));
        assertThat(storedEvents(id)).isEqualTo(1);

        String start = system.commandUrl() + "/api/activities/" + id + "/cancellation";
        Map<String, Object> cancel = Map.of("cancelledOn", "2024-01-10", "reason", "Merged");
        Http.Response cancelled = Ledger.post(system, start, cancel, "Idempotency-Key", key + "-cancel");
        Http.Response cancelledAgain = Ledger.post(system, start, cancel, "Idempotency-Key", key + "-cancel");
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelledAgain.status()).isEqualTo(200);
        assertThat(cancelledAgain.json()).isEqualTo(cancelled.json());
        assertThat(storedEvents(id)).isEqualTo(2);
        assertThat(system.commandDatabase().queryForObject(
                "SELECT count(*) FROM domainevententry WHERE aggregateidentifier = ? "
                        + "AND convert_from(metadata, 'UTF8') LIKE ?", Long.class, id, "%" + key + "%"))
                .as("the idempotency key travels with the events").isEqualTo(2);
    }

    @Test
    void racingCopiesOfOneRequestAreAppliedOnce() throws Exception {
        String id = Ledger.newActivityId("ANAPEC", "RACE");
        Map<String, Object> body = Ledger.proposal(id, "ANAPEC");
        String key = "race-" + id.replace(':', '-');
        ExecutorService senders = Executors.newFixedThreadPool(6);
        try {
            List<Future<Http.Response>> copies = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                copies.add(senders.submit(() ->
                        Ledger.post(system, system.commandUrl() + "/api/activities", body, "Idempotency-Key", key)));
            }
            for (Future<Http.Response> copy : copies) {
                Http.Response response = copy.get(30, TimeUnit.SECONDS);
                assertThat(response.status()).as(response.raw().body()).isEqualTo(201);
                assertThat(response.json().path("activityId").asText()).isEqualTo(id);
            }
        } finally {
            senders.shutdownNow();
        }
        assertThat(storedEvents(id)).isEqualTo(1);
    }

    @Test
    void theSameKeyWithAnotherBodyIsRefusedWith422() {
        String id = Ledger.newActivityId("ANAPEC", "IDEM");
        String key = "reuse-" + id.replace(':', '-');
        assertThat(Ledger.post(system, system.commandUrl() + "/api/activities", Ledger.proposal(id, "ANAPEC"),
                "Idempotency-Key", key).status()).isEqualTo(201);

        String other = Ledger.newActivityId("ANAPEC", "IDEM");
        Http.Response reused = Ledger.post(system, system.commandUrl() + "/api/activities", Ledger.proposal(other, "ANAPEC"),
                "Idempotency-Key", key);

        assertProblem(reused, 422, "idempotency-key-reused");
        assertThat(storedEvents(other)).isZero();
    }

    @Test
    void malformedJsonIs400() {
        assertProblem(Ledger.post(system, system.commandUrl() + "/api/activities", "{\"activityId\": "), 400, "malformed-body");
    }

    @Test
    void anUnknownFieldIs400NamingIt() {
        Map<String, Object> body = new java.util.HashMap<>(Ledger.proposal(Ledger.newActivityId("ANAPEC", "X"),
                "ANAPEC"));
        body.put("budgett", 5);
        JsonNode problem = assertProblem(Ledger.post(system, system.commandUrl() + "/api/activities", body), 400,
                "malformed-body");
        assertThat(problem.path("errors").get(0).path("field").asText()).isEqualTo("budgett");
    }

    @Test
    void anImpossibleDateIs400NamingTheField() {
        Map<String, Object> body = new java.util.HashMap<>(Ledger.proposal(Ledger.newActivityId("ANAPEC", "X"),
                "ANAPEC"));
        body.put("plannedPeriod", Map.of("start", "2024-02-30", "end", "2024-12-31"));
        JsonNode problem = assertProblem(Ledger.post(system, system.commandUrl() + "/api/activities", body), 400,
                "malformed-body");
        assertThat(problem.path("errors").get(0).path("field").asText()).isEqualTo("plannedPeriod.start");
    }

    @Test
    void anInvalidProposalIs400NamingEveryBadField() {
        Map<String, Object> body = new java.util.HashMap<>(Ledger.proposal(Ledger.newActivityId("ANAPEC", "X"),
                "ANAPEC"));
        body.put("title", " ");
        body.put("axes", List.of("NO_SUCH_AXIS"));
        body.put("plannedBudget", Map.of("amount", -5, "currency", "MAD"));
        JsonNode problem = assertProblem(Ledger.post(system, system.commandUrl() + "/api/activities", body), 400,
                "invalid-input");
        assertThat(problem.path("errors").findValuesAsText("field"))
                .containsExactlyInAnyOrder("title", "axes", "plannedBudget");
    }

    @Test
    void anUnknownActivityIs404() {
        JsonNode problem = assertProblem(Ledger.post(system, system.commandUrl() + "/api/activities/ANAPEC:NOPE-1/start",
                Map.of("startedOn", "2024-03-04")), 404, "not-found");
        assertThat(problem.path("activityId").asText()).isEqualTo("ANAPEC:NOPE-1");
    }

    @Test
    void aRefusedTransitionIs409WithTheCurrentState() {
        String id = Ledger.newActivityId("ANAPEC", "REFUSED");
        assertThat(Ledger.propose(system, id, "ANAPEC").status()).isEqualTo(201);

        JsonNode problem = assertProblem(Ledger.post(system, system.commandUrl() + "/api/activities/" + id + "/start",
                Map.of("startedOn", "2024-03-04")), 409, "transition-refused");

        assertThat(problem.path("currentState").asText()).isEqualTo("PROPOSED");
        assertThat(storedEvents(id)).isEqualTo(1);
    }

    @Test
    void aStaleVersionIs409WithTheCurrentVersion() {
        String id = Ledger.newActivityId("ANAPEC", "STALE");
        assertThat(Ledger.propose(system, id, "ANAPEC").status()).isEqualTo(201);
        assertThat(Ledger.post(system, system.commandUrl() + "/api/activities/" + id + "/partners",
                Map.of("agency", "OFPPT", "role", "IMPLEMENTING"), "If-Match", "\"0\"").status()).isEqualTo(200);

        JsonNode problem = assertProblem(Ledger.post(system, system.commandUrl() + "/api/activities/" + id + "/partners",
                Map.of("agency", "ILO", "role", "FUNDING"), "If-Match", "\"0\""), 409, "version-conflict");

        assertThat(problem.path("currentVersion").asLong()).isEqualTo(1);
    }

    @Test
    void proposingAnExistingActivityAgainIs409() {
        String id = Ledger.newActivityId("ANAPEC", "TWICE");
        assertThat(Ledger.propose(system, id, "ANAPEC").status()).isEqualTo(201);

        assertProblem(Ledger.propose(system, id, "ANAPEC"), 409, "already-exists");
        assertThat(storedEvents(id)).isEqualTo(1);
    }

    private static long storedEvents(String activityId) {
        return system.commandDatabase().queryForObject(
                "SELECT count(*) FROM domainevententry WHERE aggregateidentifier = ?", Long.class, activityId);
    }

    private static JsonNode assertProblem(Http.Response response, int status, String code) {
        assertThat(response.status()).as(response.raw().body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.path("code").asText()).isEqualTo(code);
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("detail").asText()).isNotBlank();
        return problem;
    }
}
