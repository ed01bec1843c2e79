package org.convergenceledger.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Over HTTP with real keys: who may move whose activity, and how a partner joins. */
class PartnershipIT extends OnTheLedger {

    @Test
    void anAgencyAsksToJoinTheLeadAcceptsAndThePartnerActsInItsRole() {
        String id = Ledger.newActivityId("ANAPEC", "JOIN");
        String activity = system.commandUrl() + "/api/activities/" + id;
        assertThat(Ledger.propose(system, id, "ANAPEC").status()).isEqualTo(201);
        Http.As ofppt = Http.as(system.key("OFPPT"));

        // Before it is a partner OFPPT may not commit, nor accept its own request.
        Http.Response early = ofppt.post(activity + "/commitment", Map.of("committedAmount",
                Map.of("amount", 1000000, "currency", "MAD"), "committedOn", "2024-02-20"));
        assertThat(early.status()).isEqualTo(403);
        assertThat(early.json().path("code").asText()).isEqualTo("not-permitted");
        assertThat(ofppt.post(activity + "/partner-requests", Map.of("role", "IMPLEMENTING")).status())
                .isEqualTo(200);
        assertThat(ofppt.post(activity + "/partner-requests/acceptance",
                Map.of("agency", "OFPPT", "role", "IMPLEMENTING")).status()).isEqualTo(403);

        assertThat(Ledger.post(system, activity + "/partner-requests/acceptance",
                Map.of("agency", "OFPPT", "role", "IMPLEMENTING")).status()).isEqualTo(200);
        assertThat(Ledger.post(system, activity + "/commitment", Map.of("committedAmount",
                Map.of("amount", 1000000, "currency", "MAD"), "committedOn", "2024-02-20")).status()).isEqualTo(200);

        // IMPLEMENTING covers starting; the key's agency is what the ledger records.
        assertThat(ofppt.post(activity + "/start", Map.of("startedOn", "2024-03-04")).status()).isEqualTo(200);
        assertThat(Http.as(system.key("ILO")).post(activity + "/suspension",
                Map.of("suspendedOn", "2024-04-01", "reason", "not ours")).status()).isEqualTo(403);
        byte[] metadata = system.commandDatabase().queryForObject("SELECT metadata FROM domainevententry "
                + "WHERE aggregateidentifier = ? ORDER BY sequencenumber DESC LIMIT 1", byte[].class, id);
        assertThat(new String(metadata, java.nio.charset.StandardCharsets.UTF_8))
                .contains("\"recordedBy\":\"OFPPT\"")
                .contains("\"keyId\":\"" + system.key("OFPPT").substring(3, 15) + "\"");
    }

    /**
     * Two agencies on the same ground: ANAPEC names GIZ as partner, GIZ has an activity of its own there. The claim
     * alone leaves the pair a likely duplication, says who claimed whom, and gives GIZ no rights; GIZ's confirmation
     * over HTTP makes it joint work; a contestation sent on GIZ's Kafka topic puts the dispute and its reason on record;
     * the lead declines a request with a reason.
     */
    @Test
    void aClaimedPartnershipCountsOnlyOnceTheNamedAgencyConfirmsIt() throws Exception {
        String claimed = Ledger.newActivityId("ANAPEC", "CLAIM");
        String contested = Ledger.newActivityId("ANAPEC", "CONTEST");
        String giz = Ledger.newActivityId("GIZ", "OWN");
        for (String id : List.of(claimed, contested, giz)) {
            Map<String, Object> proposal = new LinkedHashMap<>(Ledger.proposal(id, id.substring(0, id.indexOf(':'))));
            proposal.put("axes", List.of("GENDER"));
            proposal.put("regions", List.of("GUELMIM_OUED_NOUN"));
            proposal.put("targetGroups", List.of("MIGRANTS"));
            assertThat(Ledger.post(system, system.commandUrl() + "/api/activities", proposal).status())
                    .isEqualTo(201);
        }
        Http.As gizKey = Http.as(system.key("GIZ"));
        String claimedUrl = system.commandUrl() + "/api/activities/" + claimed;

        Http.Response early = gizKey.post(claimedUrl + "/commitment", Map.of("committedAmount",
                Map.of("amount", 1000000, "currency", "MAD"), "committedOn", "2024-02-20"));
        assertThat(early.status()).isEqualTo(403);
        assertThat(early.json().path("detail").asText()).contains("GIZ is named but has not confirmed");
        JsonNode pair = awaitPair("duplications", claimed, giz);
        assertThat(pair.path("partnership").asText()).isEqualTo("CLAIMED");
        assertThat(pair.path("claimedBy").asText()).isEqualTo("ANAPEC");
        assertThat(pair.path("reasons").toString()).contains("ANAPEC named GIZ as a partner, and GIZ has not confirmed it");

        // Only GIZ answers for GIZ.
        assertThat(Ledger.post(system, claimedUrl + "/partners/GIZ/confirmation", Map.of()).status()).isEqualTo(403);
        Http.Response confirmed = gizKey.post(claimedUrl + "/partners/GIZ/confirmation", Map.of());
        assertThat(confirmed.status()).as(confirmed.raw().body()).isEqualTo(200);
        assertThat(gizKey.post(claimedUrl + "/partners/GIZ/confirmation", Map.of()).json().path("code").asText())
                .isEqualTo("already-answered");
        JsonNode joint = awaitPair("joint", claimed, giz);
        assertThat(joint.path("partnership").asText()).isEqualTo("CONFIRMED");
        assertThat(pairOf(Http.get(system.queryUrl() + "/api/convergence/duplications?region=GUELMIM_OUED_NOUN")
                .json().path("pairs"), claimed, giz)).isNull();
        assertThat(activity(claimed).path("partners").get(0).path("status").asText()).isEqualTo("CONFIRMED");
        assertThat(gizKey.post(claimedUrl + "/commitment", Map.of("committedAmount",
                Map.of("amount", 1000000, "currency", "MAD"), "committedOn", "2024-02-20")).status()).isEqualTo(200);

        // GIZ's system contests the other claim on its own topic.
        JsonNode outcome = AgencyTopics.sendAndAwaitOutcome(system, "GIZ", contested, "ContestPartnership",
                Map.of("activityId", contested, "agency", "GIZ", "reason", "GIZ funds no ANAPEC work in Guelmim"));
        assertThat(outcome.path("status").asText()).as(outcome.toString()).isEqualTo("ACCEPTED");
        await().atMost(Duration.ofSeconds(30)).until(() ->
                "CONTESTED".equals(activity(contested).path("partners").get(0).path("status").asText()));
        assertThat(activity(contested).path("partners").get(0).path("reason").asText())
                .isEqualTo("GIZ funds no ANAPEC work in Guelmim");
        JsonNode disputed = awaitPair("duplications", contested, giz);
        assertThat(disputed.path("partnership").asText()).isEqualTo("CONTESTED");
        assertThat(disputed.path("reasons").toString()).contains("ANAPEC named GIZ as a partner, and GIZ contests it");

        // OFPPT asks to implement; ANAPEC declines, and says why.
        Http.As ofppt = Http.as(system.key("OFPPT"));
        assertThat(ofppt.post(claimedUrl + "/partner-requests", Map.of("role", "IMPLEMENTING")).status())
                .isEqualTo(200);
        assertThat(Ledger.post(system, claimedUrl + "/partner-requests/declination",
                Map.of("agency", "OFPPT", "role", "IMPLEMENTING", "reason", "ANAPEC implements it itself"))
                .status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                activity(claimed).path("partnerRequests").toString().contains("DECLINED"));
        assertThat(activity(claimed).path("partnerRequests").get(0).path("reason").asText())
                .isEqualTo("ANAPEC implements it itself");
        assertThat(activity(claimed).path("partners")).hasSize(1);
    }

    private static JsonNode activity(String id) {
        return Http.get(system.queryUrl() + "/api/activities/" + id).json();
    }

    /** The pair of the two activities in a convergence read (duplications or joint), once it is there. */
    private static JsonNode awaitPair(String read, String a, String b) {
        JsonNode[] found = {null};
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode answer = Http.get(system.queryUrl() + "/api/convergence/" + read
                    + "?region=GUELMIM_OUED_NOUN&axis=GENDER").json();
            found[0] = pairOf(answer.path(read.equals("joint") ? "overlappingPartnerActivities" : "pairs"), a, b);
            return found[0] != null;
        });
        return found[0];
    }

    private static JsonNode pairOf(JsonNode pairs, String a, String b) {
        for (JsonNode pair : pairs) {
            Set<String> ids = Set.of(pair.path("first").path("id").asText(), pair.path("second").path("id").asText());
            if (ids.contains(a) && ids.contains(b)) {
                return pair;
            }
        }
        return null;
    }
}
