package org.convergenceledger.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint of both services against every role, anonymous included: allowed (any answer but 401/403), 401
 * without a key where one is needed, 403 with a key whose role may not. Allowed calls are made harmless (unknown
 * targets, empty bodies), so the walk changes nothing another test relies on.
 */
class AccessMatrixIT {

    enum Who { ANONYMOUS, PUBLIC, AGENCY, AUDITOR, ADMIN, COORDINATOR }

    record Endpoint(String service, String method, String path, Object body, Who... allowed) {
    }

    private static LedgerSystem system;
    private static Map<Who, String> keys;

    @BeforeAll
    static void startTheLedger() {
        system = LedgerSystem.get();
        Ledger.ensureRegistry(system);
        Http.Response issued = Ledger.admin(system).post(system.commandUrl() + "/api/admin/keys",
                Map.of("role", "PUBLIC", "label", "matrix walk"));
        assertThat(issued.status()).as(issued.raw().body()).isEqualTo(201);
        keys = Map.of(Who.PUBLIC, issued.json().path("apiKey").asText(), Who.AGENCY, system.key("ANAPEC"),
                Who.AUDITOR, system.key("AUDITOR"), Who.ADMIN, system.key("ADMIN"), Who.COORDINATOR,
                system.key("COORDINATOR"));
    }

    private static final Who[] EVERYONE = Who.values();
    private static final String ACTIVITY = "/api/activities/ANAPEC:MATRIX-NONE";

    static List<Endpoint> endpoints() {
        List<Endpoint> all = new ArrayList<>();
        // command service: agencies write
        all.add(new Endpoint("command", "POST", "/api/activities", Map.of(), Who.AGENCY));
        all.add(new Endpoint("command", "POST", "/api/iati/import?dryRun=true", Map.of(), Who.AGENCY));
        for (String action : List.of("commitment", "start", "completion", "revision", "suspension", "resumption",
                "cancellation", "partners", "partner-requests", "partner-requests/acceptance",
                "partner-requests/declination", "partners/GIZ/confirmation", "partners/GIZ/contestation",
                "rekeying")) {
            all.add(new Endpoint("command", "POST", ACTIVITY + "/" + action, Map.of(), Who.AGENCY));
        }
        // the steering committee's decisions
        all.add(new Endpoint("command", "POST", "/api/convergence/duplications/ANAPEC:MATRIX-NONE/GIZ:MATRIX-NONE"
                + "/decision", Map.of(), Who.COORDINATOR));
        all.add(new Endpoint("command", "POST", "/api/convergence/closed-periods", Map.of(), Who.COORDINATOR));
        // administration
        all.add(new Endpoint("command", "POST", "/api/admin/agencies", Map.of(), Who.ADMIN));
        all.add(new Endpoint("command", "POST", "/api/admin/axes", Map.of(), Who.ADMIN));
        all.add(new Endpoint("command", "POST", "/api/admin/keys", Map.of(), Who.ADMIN));
        all.add(new Endpoint("command", "POST", "/api/admin/keys/000000000000/revocation", Map.of("reason", "x"),
                Who.ADMIN));
        all.add(new Endpoint("command", "GET", "/api/admin/keys", null, Who.ADMIN));
        all.add(new Endpoint("command", "GET", "/api/admin/keys/000000000000", null, Who.ADMIN));
        all.add(new Endpoint("command", "GET", "/actuator/metrics", null, Who.ADMIN));
        all.add(new Endpoint("command", "GET", "/actuator/prometheus", null, Who.ADMIN));
        // the audit trail: auditors
        all.add(new Endpoint("command", "GET", "/api/audit/verification", null, Who.AUDITOR));
        all.add(new Endpoint("command", "GET", "/api/audit/events?limit=1", null, Who.AUDITOR));
        all.add(new Endpoint("command", "GET", "/api/audit/export?format=csv&from=1&to=1", null, Who.AUDITOR));
        all.add(new Endpoint("command", "GET", "/api/audit/agencies/ANAPEC/history?limit=1", null, Who.AUDITOR));
        // tamper evidence anyone can check
        all.add(new Endpoint("command", "GET", "/api/audit/public-key", null, EVERYONE));
        all.add(new Endpoint("command", "GET", "/api/audit/checkpoints", null, EVERYONE));
        all.add(new Endpoint("command", "GET", "/api/audit/checkpoints/latest", null, EVERYONE));
        all.add(new Endpoint("command", "GET", "/api/audit/proofs/inclusion?eventId=none&treeSize=1", null,
                EVERYONE));
        all.add(new Endpoint("command", "GET", "/api/audit/proofs/consistency?from=1&to=1", null, EVERYONE));
        all.add(new Endpoint("command", "GET", "/actuator/health", null, EVERYONE));
        // query service: public reads
        for (String read : List.of("/api/activities?size=1", "/api/activities/ANAPEC:MATRIX-NONE",
                "/api/convergence/axes", "/api/convergence/matrix", "/api/convergence/duplications",
                "/api/convergence/joint", "/api/convergence/gaps", "/api/convergence/progress",
                "/api/convergence/freshness", "/api/convergence/closed-periods", "/api/agencies",
                "/api/axes", "/api/iati/activities.xml?agency=NOBODY", "/actuator/health")) {
            all.add(new Endpoint("query", "GET", read, null, EVERYONE));
        }
        all.add(new Endpoint("query", "GET", "/api/audit/activities/ANAPEC:MATRIX-NONE/history", null, Who.AUDITOR));
        all.add(new Endpoint("query", "GET", "/api/audit/projection-digest", null, Who.AUDITOR));
        all.add(new Endpoint("query", "GET", "/api/audit/projection-digest/replayed?upToSequence=1", null,
                Who.AUDITOR));
        all.add(new Endpoint("query", "POST", "/api/admin/projections/no-such-projection/rebuild", "", Who.ADMIN));
        all.add(new Endpoint("query", "GET", "/api/admin/projections/no-such-projection/rebuild", null, Who.ADMIN));
        for (String action : List.of("replay", "pause", "resume")) {
            all.add(new Endpoint("query", "POST", "/api/admin/projections/no-such-projection/" + action, "",
                    Who.ADMIN));
        }
        all.add(new Endpoint("query", "GET", "/api/audit/replayed/convergence/gaps?axis=GENDER", null, Who.AUDITOR));
        all.add(new Endpoint("query", "GET", "/actuator/metrics", null, Who.ADMIN));
        all.add(new Endpoint("query", "GET", "/actuator/prometheus", null, Who.ADMIN));
        // not an endpoint: refused for everyone rather than open by default
        all.add(new Endpoint("command", "GET", "/api/nothing-here", null));
        return all;
    }

    @Test
    void everyEndpointAnswersEachRoleAsTheMatrixSays() {
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Endpoint endpoint : endpoints()) {
            List<Who> allowed = List.of(endpoint.allowed());
            for (Who who : Who.values()) {
                int status = call(endpoint, who);
                String expected = allowed.contains(who) ? "allowed" : who == Who.ANONYMOUS ? "401" : "403";
                boolean right = switch (expected) {
                    case "allowed" -> status != 401 && status != 403;
                    default -> status == Integer.parseInt(expected);
                };
                if (!right) {
                    wrong.add(endpoint.method() + " " + endpoint.service() + endpoint.path() + " as " + who
                            + ": expected " + expected + ", got " + status);
                }
                checked++;
            }
        }
        assertThat(wrong).as("%d checks", checked).isEmpty();
        assertThat(checked).isEqualTo(endpoints().size() * Who.values().length);
    }

    @Test
    void anyoneSeesWhetherAServiceIsUpAndOnlyAnAdministratorWhatIsInside() {
        for (String service : List.of(system.commandUrl(), system.queryUrl())) {
            JsonNode anonymous = Http.get(service + "/actuator/health").json();
            JsonNode agency = Http.as(system.key("ANAPEC")).get(service + "/actuator/health").json();
            JsonNode admin = Ledger.admin(system).get(service + "/actuator/health").json();

            assertThat(anonymous.path("status").asText()).isEqualTo("UP");
            assertThat(anonymous.has("components")).as(service + ": " + anonymous).isFalse();
            assertThat(agency.has("components")).as(service + ": " + agency).isFalse();
            assertThat(admin.path("components").path("db").path("status").asText()).as(service).isEqualTo("UP");
            assertThat(admin.path("components").path("kafka").path("status").asText()).as(service).isEqualTo("UP");
        }
    }

    /**
     * Keys are kept in memory once used: requests with the key run on while it is revoked, and every request sent
     * after the revocation's answer is refused — none served from a cache that missed the revocation.
     */
    @Test
    void aKeyInUseWhileItIsRevokedIsRefusedFromTheRevocationsAnswerOn() throws Exception {
        Http.Response issued = Ledger.admin(system).post(system.commandUrl() + "/api/admin/keys",
                Map.of("role", "AUDITOR", "label", "in use while revoked"));
        String key = issued.json().path("apiKey").asText();
        String url = system.commandUrl() + "/api/audit/events?limit=1";
        java.util.concurrent.atomic.AtomicLong revokedAnswerAt = new java.util.concurrent.atomic.AtomicLong(Long.MAX_VALUE);
        java.util.concurrent.atomic.AtomicInteger servedAfter = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ExecutorService users = java.util.concurrent.Executors.newFixedThreadPool(4);
        java.util.concurrent.atomic.AtomicBoolean using = new java.util.concurrent.atomic.AtomicBoolean(true);
        for (int i = 0; i < 4; i++) {
            users.submit(() -> {
                while (using.get()) {
                    long sentAt = System.nanoTime();
                    int status = Http.as(key).get(url).status();
                    if (status == 200 && sentAt > revokedAnswerAt.get()) {
                        servedAfter.incrementAndGet();
                    } else if (status == 401) {
                        refused.incrementAndGet();
                    }
                }
                return null;
            });
        }
        Thread.sleep(300);
        Http.Response revoked = Ledger.admin(system).post(system.commandUrl() + "/api/admin/keys/"
                + issued.json().path("keyId").asText() + "/revocation", Map.of("reason", "left mid-request"));
        revokedAnswerAt.set(System.nanoTime());
        Thread.sleep(500);
        using.set(false);
        users.shutdown();
        assertThat(users.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

        assertThat(revoked.status()).isEqualTo(200);
        assertThat(refused.get()).isPositive();
        assertThat(servedAfter.get()).as("requests sent after the revocation's answer and still served").isZero();
    }

    @Test
    void aRevokedKeyStopsWorkingAtOnce() {
        Http.Response issued = Ledger.admin(system).post(system.commandUrl() + "/api/admin/keys",
                Map.of("role", "AUDITOR", "label", "short-lived"));
        String key = issued.json().path("apiKey").asText();
        String keyId = issued.json().path("keyId").asText();
        assertThat(Http.as(key).get(system.commandUrl() + "/api/audit/events?limit=1").status()).isEqualTo(200);

        Http.Response revoked = Ledger.admin(system).post(system.commandUrl() + "/api/admin/keys/" + keyId
                + "/revocation", Map.of("reason", "auditor left"));

        assertThat(revoked.status()).as(revoked.raw().body()).isEqualTo(200);
        Http.Response refused = Http.as(key).get(system.commandUrl() + "/api/audit/events?limit=1");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.header("Content-Type")).contains("application/problem+json");
        assertThat(refused.header("WWW-Authenticate")).isEqualTo("Bearer");
        // The listing shows it revoked, with why; the key itself is nowhere.
        String listing = Ledger.admin(system).get(system.commandUrl() + "/api/admin/keys").raw().body();
        assertThat(listing).contains(keyId).contains("auditor left").doesNotContain(key);
    }

    @Test
    void issuingAndRevokingAreLedgerEventsNamingWhoDidIt() {
        Http.Response issued = Ledger.admin(system).post(system.commandUrl() + "/api/admin/keys",
                Map.of("role", "AGENCY", "agencyCode", "OFPPT", "label", "rotation"));
        String keyId = issued.json().path("keyId").asText();
        String adminKeyId = system.key("ADMIN").substring(3, 15);

        Map<String, Object> stored = system.commandDatabase().queryForMap("SELECT payload, metadata FROM "
                + "domainevententry WHERE aggregateidentifier = ?", "key:" + keyId);
        String payload = new String((byte[]) stored.get("payload"), java.nio.charset.StandardCharsets.UTF_8);
        String metadata = new String((byte[]) stored.get("metadata"), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(payload).contains("\"role\":\"AGENCY\"").contains("OFPPT").contains("sha256:")
                .doesNotContain(issued.json().path("apiKey").asText());
        assertThat(metadata).contains("\"recordedBy\":\"ADMIN\"").contains("\"keyId\":\"" + adminKeyId + "\"");
    }

    private static int call(Endpoint endpoint, Who who) {
        String url = (endpoint.service().equals("command") ? system.commandUrl() : system.queryUrl())
                + endpoint.path();
        String[] auth = who == Who.ANONYMOUS ? new String[0]
                : new String[] {"Authorization", "Bearer " + keys.get(who)};
        Http.Response response = endpoint.method().equals("GET") ? Http.get(url, auth)
                : Http.post(url, endpoint.body(), auth);
        return response.status();
    }
}
