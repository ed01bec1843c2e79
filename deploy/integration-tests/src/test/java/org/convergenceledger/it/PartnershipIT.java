package org.convergenceledger.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Over HTTP with real keys: who may move whose activity, and how a partner joins. */
class PartnershipIT {

    private static LedgerSystem system;

    @BeforeAll
    static void startTheLedger() {
        system = LedgerSystem.get();
        Ledger.ensureRegistry(system);
    }

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
}
