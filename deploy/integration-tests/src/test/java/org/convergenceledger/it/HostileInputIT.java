package org.convergenceledger.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad input tried as a hostile client would: each gets a 4xx problem+json naming what is wrong, nothing is
 * stored, and the service stays up.
 */
class HostileInputIT {

    private static LedgerSystem system;
    private static Http.As anapec;

    @BeforeAll
    static void startTheLedger() {
        system = LedgerSystem.get();
        Ledger.ensureRegistry(system);
        anapec = Http.as(system.key("ANAPEC"));
    }

    @Test
    void anOversizedBodyIsRefusedBeforeItIsRead() {
        String huge = "{\"title\": \"" + "a".repeat(2 * 1024 * 1024) + "\"}";

        JsonNode problem = problem(anapec.post(system.commandUrl() + "/api/activities", huge), 413);

        assertThat(problem.path("detail").asText()).startsWith("body: at most");
    }

    @Test
    void deeplyNestedJsonIsRefusedAtItsFirstWrongToken() {
        String nested = "{\"activityId\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}";

        JsonNode problem = problem(anapec.post(system.commandUrl() + "/api/activities", nested), 400);

        assertThat(problem.path("errors").get(0).path("field").asText()).isEqualTo("activityId");
    }

    @Test
    void controlCharactersInTextAreRefusedBeforeTheyReachAProjection() {
        String id = Ledger.newActivityId("ANAPEC", "NUL");
        JsonNode problem = problem(anapec.post(system.commandUrl() + "/api/activities",
                with("title", "Dual\u0000training", id)), 400);

        assertThat(problem.path("errors").get(0).path("field").asText()).isEqualTo("title");
        assertThat(problem.path("errors").get(0).path("message").asText()).contains("control characters");
        assertThat(stored(id)).isZero();
    }

    @Test
    void eachBadFieldIsNamed() {
        assertField(with("surprise", "field"), "surprise", "unknown field");
        assertField(with("plannedBudget", Map.of("amount", "lots", "currency", "MAD")), "plannedBudget.amount",
                "decimal number");
        assertField(with("plannedPeriod", Map.of("start", "2024-02-30", "end", "2024-12-31")), "plannedPeriod.start",
                "date");
        assertField(with("axes", "WORK_LINKED_TRAINING"), "axes", "array");
        assertField(with("plannedBudget", Map.of("amount", -5, "currency", "MAD")), "plannedBudget", "non-negative");
        assertField(with("plannedBudget", Map.of("amount", new java.math.BigDecimal("1e20"), "currency", "MAD")),
                "plannedBudget", "non-negative");
        assertField(with("plannedBudget", Map.of("amount", 1000, "currency", "XXQ")), "plannedBudget", "ISO 4217");
        assertField("{\"activityId\": \"ANAPEC:X\", \"plannedBudget\": {\"amount\": 1e999999999, "
                + "\"currency\": \"MAD\"}}", "plannedBudget", "");
    }

    @Test
    void idsWithPathCharactersAreRefusedAsProblems() {
        for (String path : List.of("/api/activities/ANAPEC:..%2F..%2Fadmin/start",
                "/api/activities/ANAPEC:X;jsessionid=1/start", "/api/activities/ANAPEC:%00/start",
                "/api/activities/ANAPEC:X%5C..%5Cadmin/start")) {
            Http.Response response = anapec.post(system.commandUrl() + path, Map.of("startedOn", "2024-03-04"));
            assertThat(response.status()).as(path).isBetween(400, 499);
            assertThat(response.header("Content-Type")).as(path).contains("application/problem+json");
        }
        for (String path : List.of("/api/activities/ANAPEC:..%2F..%2Fx", "/api/activities/ANAPEC:%00",
                "/api/activities/ANAPEC:X;a=1", "/api/convergence/../admin/projections/activity-view/rebuild")) {
            Http.Response response = Http.get(system.queryUrl() + path);
            assertThat(response.status()).as("query " + path).isBetween(400, 499);
            assertThat(response.header("Content-Type")).as("query " + path).contains("application/problem+json");
        }
        Http.Response dots = anapec.post(system.commandUrl() + "/api/activities/not%20an%20id/start",
                Map.of("startedOn", "2024-03-04"));
        assertThat(dots.status()).isEqualTo(400);
    }

    @Test
    void headersThatTryToInjectAreRefused() {
        String id = Ledger.newActivityId("ANAPEC", "HDR");
        JsonNode key = problem(anapec.post(system.commandUrl() + "/api/activities", Ledger.proposal(id, "ANAPEC"),
                "Idempotency-Key", "a b\tSet-Cookie: x=1"), 400);
        assertThat(key.path("errors").get(0).path("field").asText()).isEqualTo("Idempotency-Key");
        JsonNode occurred = problem(anapec.post(system.commandUrl() + "/api/activities",
                Ledger.proposal(id, "ANAPEC"), "Occurred-At", "yesterday'; DROP TABLE x"), 400);
        assertThat(occurred.path("errors").get(0).path("field").asText()).isEqualTo("Occurred-At");
        JsonNode auth = problem(Http.post(system.commandUrl() + "/api/activities", Ledger.proposal(id, "ANAPEC"),
                "Authorization", "Bearer cl_' OR 1=1 --"), 401);
        assertThat(auth.path("code").asText()).isEqualTo("unauthenticated");
        assertThat(stored(id)).isZero();
        assertThat(Http.get(system.commandUrl() + "/actuator/health").json().path("status").asText())
                .isEqualTo("UP");
    }

    @Test
    void aControlCharacterInAHeaderIsRefusedByTheFirewall() throws Exception {
        // java.net.http will not send it; a raw request will. Tomcat reads header bytes as ISO-8859-1 and lets
        // 0x85 (a C1 control character) through, so the refusal is Spring Security's firewall's — which checks a
        // header only when something reads it, here Spring MVC reading the body.
        String id = Ledger.newActivityId("ANAPEC", "CTL");
        String body = Http.JSON.writeValueAsString(Ledger.proposal(id, "ANAPEC"));
        String command = raw(system.commandUrl(), "POST /api/activities", "Authorization: Bearer "
                + system.key("ANAPEC") + "\r\nContent-Type: application/json\r\nX-Note: a\u0085b", body);
        assertThat(command).startsWith("HTTP/1.1 400").contains("application/problem+json")
                .contains("\"code\":\"rejected-request\"");
        assertThat(stored(id)).isZero();
        // The same request without the control character is accepted: the refusal was for the header alone.
        assertThat(anapec.post(system.commandUrl() + "/api/activities", Ledger.proposal(id, "ANAPEC"),
                "X-Note", "a b").status()).isEqualTo(201);
    }

    /** One HTTP/1.1 request written byte for byte (headers as ISO-8859-1), and the whole answer. */
    private static String raw(String base, String requestLine, String headers, String body) throws Exception {
        URI server = URI.create(base);
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket(server.getHost(), server.getPort())) {
            socket.setSoTimeout(10_000);
            String head = requestLine + " HTTP/1.1\r\nHost: " + server.getHost() + "\r\n" + headers
                    + "\r\nContent-Length: " + content.length + "\r\nConnection: close\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(content);
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static void assertField(Object body, String field, String says) {
        JsonNode problem = problem(anapec.post(system.commandUrl() + "/api/activities", body), 400);
        assertThat(problem.path("errors").toString()).as(body.toString().substring(0,
                Math.min(200, body.toString().length()))).contains("\"field\":\"" + field).contains(says);
    }

    private static Map<String, Object> with(String field, Object value) {
        return with(field, value, Ledger.newActivityId("ANAPEC", "BAD"));
    }

    private static Map<String, Object> with(String field, Object value, String id) {
        Map<String, Object> body = new LinkedHashMap<>(Ledger.proposal(id, "ANAPEC"));
        body.put(field, value);
        return body;
    }

    private static JsonNode problem(Http.Response response, int status) {
        assertThat(response.status()).as(response.raw().body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).contains("application/problem+json");
        return response.json();
    }

    private static long stored(String id) {
        return system.commandDatabase().queryForObject("SELECT count(*) FROM domainevententry "
                + "WHERE aggregateidentifier = ?", Long.class, id);
    }
}
