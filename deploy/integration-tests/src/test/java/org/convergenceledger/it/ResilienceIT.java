package org.convergenceledger.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parts of the system going away mid-stream: nothing is lost, nothing is applied twice. */
class ResilienceIT extends OnTheLedger {

    @Test
    void writesAreAcceptedWhileKafkaIsDownAndEveryEventArrivesWhenItReturns() {
        List<String> ids = new ArrayList<>();
        system.kafka().stop();
        try {
            for (int i = 0; i < 10; i++) {
                String id = Ledger.newActivityId("GIZ", "OUTAGE");
                Http.Response response = Ledger.propose(system, id, "GIZ");
                assertThat(response.status()).as(response.raw().body()).isEqualTo(201);
                ids.add(id);
            }
            Http.Response health = Ledger.admin(system).get(system.commandUrl() + "/actuator/health");
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.json().path("components").path("kafka").path("status").asText())
                    .isEqualTo("DEGRADED");
        } finally {
            system.kafka().start();
        }

        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            for (String id : ids) {
                assertThat(Http.get(system.queryUrl() + "/api/activities/" + id).status()).as(id).isEqualTo(200);
            }
        });
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                Ledger.admin(system).get(system.commandUrl() + "/actuator/health").json().path("components")
                        .path("publishing")
                        .path("details").path("lagEvents").asLong()).isZero());
    }

    @Test
    void aQueryServiceRestartInTheMiddleOfAStreamLosesNothingAndDoublesNothing() {
        List<String> first = proposeSome(10);
        await().atMost(Duration.ofSeconds(30)).until(
                () -> Http.get(system.queryUrl() + "/api/activities/" + first.get(4)).status() == 200);

        system.stopQueryService();
        List<String> second = proposeSome(10);
        for (String id : first) {
            Http.Response committed = Ledger.post(system, system.commandUrl() + "/api/activities/" + id + "/commitment",
                    Map.of("committedAmount", Map.of("amount", new BigDecimal("1000.00"), "currency", "MAD"),
                            "committedOn", "2024-02-01"));
            assertThat(committed.status()).as(committed.raw().body()).isEqualTo(200);
        }
        system.startQueryServiceAgain();

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (String id : first) {
                Http.Response view = Http.get(system.queryUrl() + "/api/activities/" + id);
                assertThat(view.status()).isEqualTo(200);
                assertThat(view.json().path("state").asText()).isEqualTo("COMMITTED");
            }
            for (String id : second) {
                assertThat(Http.get(system.queryUrl() + "/api/activities/" + id).status()).isEqualTo(200);
            }
        });
        for (String id : first) {
            assertThat(Ledger.auditor(system).get(system.queryUrl() + "/api/audit/activities/" + id + "/history").json()
                    .path("events").size()).as("history of %s", id).isEqualTo(2);
        }
        for (String id : second) {
            assertThat(Ledger.auditor(system).get(system.queryUrl() + "/api/audit/activities/" + id + "/history").json()
                    .path("events").size()).as("history of %s", id).isEqualTo(1);
        }
    }

    private static List<String> proposeSome(int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = Ledger.newActivityId("ILO", "STREAM");
            assertThat(Ledger.propose(system, id, "ILO").status()).isEqualTo(201);
            ids.add(id);
        }
        return ids;
    }

    @Test
    void aKeyRevokedWhileTheBrokerIsDownIsRefusedByTheQuerySideOnceTheRevocationArrives() {
        Http.Response issued = Ledger.admin(system).post(system.commandUrl() + "/api/admin/keys",
                Map.of("role", "AUDITOR", "label", "revoked during an outage"));
        String key = issued.json().path("apiKey").asText();
        String queryAuditRead = system.queryUrl() + "/api/audit/activities/NOBODY:NOTHING/history";
        await().atMost(Duration.ofSeconds(30)).until(() -> Http.as(key).get(queryAuditRead).status() != 401);

        system.kafka().stop();
        long revokedAt;
        long brokerBackAt;
        try {
            revokedAt = System.nanoTime();
            assertThat(Ledger.admin(system).post(system.commandUrl() + "/api/admin/keys/"
                    + issued.json().path("keyId").asText() + "/revocation", Map.of("reason", "left")).status())
                    .isEqualTo(200);
            // The command service refuses it at once; the query side has not heard yet.
            assertThat(Http.as(key).get(system.commandUrl() + "/api/audit/events?limit=1").status()).isEqualTo(401);
            assertThat(Http.as(key).get(queryAuditRead).status()).isNotEqualTo(401);
        } finally {
            system.kafka().start();
            brokerBackAt = System.nanoTime();
        }
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                .until(() -> Http.as(key).get(queryAuditRead).status() == 401);
        long refusedAt = System.nanoTime();
        System.out.printf("[revocation during an outage] the query side accepted the revoked key for %d ms: the"
                + " outage (%d ms) and %d ms after the broker was back%n", (refusedAt - revokedAt) / 1_000_000,
                (brokerBackAt - revokedAt) / 1_000_000, (refusedAt - brokerBackAt) / 1_000_000);
    }
}
