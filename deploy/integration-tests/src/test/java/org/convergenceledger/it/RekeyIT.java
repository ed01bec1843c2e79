package org.convergenceledger.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An activity moves twice — a typo fixed over HTTP, then a transfer to another lead agency over Kafka: the old
 * identifiers redirect reads (308) and refuse writes naming the new one, the new lead acts, the history runs across
 * both moves, the chain verifies, and the convergence view counts the activity once, under its last identifier.
 */
class RekeyIT extends OnTheLedger {

    @Test
    void aMovedActivityRedirectsReadsRefusesWritesAndKeepsOneHistory() throws Exception {
        String typo = Ledger.newActivityId("ANAPEC", "REKY");
        String fixed = typo.replace("REKY", "REKEY");
        String transferred = fixed.replace("ANAPEC:", "OFPPT:");
        Map<String, Object> proposal = new LinkedHashMap<>(Ledger.proposal(typo, "ANAPEC"));
        proposal.put("targetGroups", List.of("EMPLOYERS"));
        assertThat(Ledger.post(system, system.commandUrl() + "/api/activities", proposal).status()).isEqualTo(201);
        assertThat(Ledger.post(system, system.commandUrl() + "/api/activities/" + typo + "/commitment", Map.of(
                "committedAmount", Map.of("amount", 1000000, "currency", "MAD"), "committedOn", "2024-02-20"))
                .status()).isEqualTo(200);
        Ledger.awaitSettled(system, typo);
        Instant beforeTheMove = Instant.now();

        // Only the lead moves it, for a reason, to a free identifier.
        assertThat(Http.as(system.key("OFPPT")).post(system.commandUrl() + "/api/activities/" + typo + "/rekeying",
                Map.of("newActivityId", fixed, "reason", "typo")).status()).isEqualTo(403);
        Http.Response moved = Ledger.post(system, system.commandUrl() + "/api/activities/" + typo + "/rekeying",
                Map.of("newActivityId", fixed, "reason", "Typo in the reference: REKY for REKEY"));
        assertThat(moved.status()).as(moved.raw().body()).isEqualTo(201);
        assertThat(moved.header("Location")).isEqualTo("/api/activities/" + fixed);

        Http.Response refused = Ledger.post(system, system.commandUrl() + "/api/activities/" + typo + "/start",
                Map.of("startedOn", "2024-03-04"));
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().path("code").asText()).isEqualTo("activity-moved");
        assertThat(refused.json().path("movedTo").asText()).isEqualTo(fixed);

        await().atMost(Duration.ofSeconds(30)).until(() ->
                Http.get(system.queryUrl() + "/api/activities/" + typo).status() == 308);
        assertThat(Http.get(system.queryUrl() + "/api/activities/" + typo + "?lang=x").header("Location"))
                .isEqualTo("/api/activities/" + fixed + "?lang=x");
        JsonNode atNewId = Http.get(system.queryUrl() + "/api/activities/" + fixed).json();
        assertThat(atNewId.path("state").asText()).isEqualTo("COMMITTED");
        assertThat(atNewId.path("committed").path("amount").decimalValue()).isEqualByComparingTo("1000000");
        assertThat(atNewId.path("partners").get(0).path("agency").asText()).isEqualTo("GIZ");
        // As known before the move, the old identifier was the activity.
        Http.Response then = Http.get(system.queryUrl() + "/api/activities/" + typo + "?knownAt=" + beforeTheMove);
        assertThat(then.status()).as(then.raw().body()).isEqualTo(200);
        assertThat(then.json().path("id").asText()).isEqualTo(typo);

        // ANAPEC's system hands it over to OFPPT, on ANAPEC's own topic.
        JsonNode transfer = AgencyTopics.sendAndAwaitOutcome(system, "ANAPEC", fixed, "RekeyActivity",
                Map.of("activityId", fixed, "newActivityId", transferred, "reason", "OFPPT runs it from 2024"));
        assertThat(transfer.path("status").asText()).as(transfer.toString()).isEqualTo("ACCEPTED");
        assertThat(Ledger.post(system, system.commandUrl() + "/api/activities/" + transferred + "/start",
                Map.of("startedOn", "2024-03-04")).status()).isEqualTo(200);
        assertThat(Http.as(system.key("ANAPEC")).post(system.commandUrl() + "/api/activities/" + transferred
                + "/suspension", Map.of("suspendedOn", "2024-04-01", "reason", "not ours any more")).status())
                .isEqualTo(403);
        Ledger.awaitSettled(system, transferred);

        // One history across both moves, each fact under the identifier it was recorded with.
        await().atMost(Duration.ofSeconds(30)).until(() ->
                Http.get(system.queryUrl() + "/api/activities/" + transferred + "/events").json().path("events")
                        .size() == 7);
        JsonNode timeline = Http.get(system.queryUrl() + "/api/activities/" + transferred + "/events").json();
        List<String> steps = new ArrayList<>();
        timeline.path("events").forEach(event -> steps.add(event.path("activityId").asText() + " "
                + event.path("type").asText()));
        assertThat(steps).containsExactly(typo + " ActivityProposed", typo + " ActivityCommitted",
                typo + " ActivityRekeyed", fixed + " ActivityMovedIn", fixed + " ActivityRekeyed",
                transferred + " ActivityMovedIn", transferred + " ActivityStarted");
        assertThat(Http.get(system.queryUrl() + "/api/activities/" + typo + "/events").header("Location"))
                .isEqualTo("/api/activities/" + fixed + "/events");

        // Counted once, under OFPPT: the identifiers it left occupy nothing.
        JsonNode listed = Http.get(system.queryUrl() + "/api/convergence/activities?axis=WORK_LINKED_TRAINING"
                + "&region=DAKHLA_OUED_EDDAHAB&targetGroup=EMPLOYERS&limit=1000").json();
        List<String> ids = new ArrayList<>();
        listed.path("items").forEach(item -> ids.add(item.path("id").asText()));
        assertThat(ids).contains(transferred).doesNotContain(typo, fixed);

        // The chain runs on across both moves: the whole ledger still verifies.
        JsonNode verification = Ledger.auditor(system).get(system.commandUrl() + "/api/audit/verification").json();
        assertThat(verification.path("intact").asBoolean()).as(verification.toString()).isTrue();
        assertThat(verification.toString()).doesNotContain(transferred);
    }
}
