package org.convergenceledger.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The few calls the benchmark makes to the two services, as an agency's system would make them. */
final class LedgerHttp {

    static final String AGENCY = "BENCH";
    static final String AXIS = "WORK_LINKED_TRAINING";

    record Reply(int status, String body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String commandUrl;
    private final String queryUrl;
    private final Duration requestTimeout;
    private final HttpClient client;
    private final byte[] commitBody;

    LedgerHttp(String commandUrl, String queryUrl, Duration requestTimeout) {
        this.commandUrl = commandUrl;
        this.queryUrl = queryUrl;
        this.requestTimeout = requestTimeout;
        // HTTP/1.1 explicitly: with the default (HTTP/2) every new plain-http connection first tries an h2c upgrade.
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        ObjectNode commit = JSON.createObjectNode();
        commit.set("committedAmount", money("1200000.00"));
        commit.put("committedOn", "2024-02-20");
        this.commitBody = bytes(commit);
    }

    Reply health(String baseUrl) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/health"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        return send(request);
    }

    static String healthStatus(String body) {
        try {
            JsonNode status = JSON.readTree(body).path("status");
            return status.isTextual() ? status.asText() : "(no status)";
        } catch (IOException e) {
            return "(not JSON)";
        }
    }

    Reply registerAgency() throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        body.put("agencyCode", AGENCY);
        body.put("name", "Benchmark agency");
        body.put("kind", "PUBLIC_AGENCY");
        return post(commandUrl + "/api/admin/agencies", bytes(body));
    }

    Reply defineAxis() throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        body.put("axisCode", AXIS);
        body.put("title", "Work-linked training");
        return post(commandUrl + "/api/admin/axes", bytes(body));
    }

    Reply propose(String activityId) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        body.put("activityId", activityId);
        body.put("leadAgency", AGENCY);
        body.put("title", "Benchmark apprenticeship cohort");
        body.put("description", "Work-linked training for young job seekers, proposed by the command-path benchmark.");
        body.putArray("axes").add(AXIS);
        body.putArray("regions").add("ORIENTAL");
        body.putArray("targetGroups").add("YOUTH");
        ObjectNode period = body.putObject("plannedPeriod");
        period.put("start", "2024-03-01");
        period.put("end", "2025-02-28");
        body.set("plannedBudget", money("1250000.00"));
        body.putArray("partners");
        return post(commandUrl + "/api/activities", bytes(body));
    }

    Reply commit(String activityId) throws IOException, InterruptedException {
        return post(commandUrl + "/api/activities/" + path(activityId) + "/commitment", commitBody);
    }

    Reply activityView(String activityId) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(queryUrl + "/api/activities/" + path(activityId)))
                .timeout(requestTimeout).header("Accept", "application/json").GET().build();
        return send(request);
    }

    /** The state the query service shows in an activity document, or null. */
    static String state(String body) {
        try {
            JsonNode state = JSON.readTree(body).path("state");
            return state.isTextual() ? state.asText() : null;
        } catch (IOException e) {
            return null;
        }
    }

    private Reply post(String url, byte[] body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header("Ledger-Agency", AGENCY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return send(request);
    }

    private Reply send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.body());
    }

    private static ObjectNode money(String amount) {
        ObjectNode money = JSON.createObjectNode();
        money.put("amount", new BigDecimal(amount)); // a JSON number, 1250000.00, never a string
        money.put("currency", "MAD");
        return money;
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String path(String activityId) {
        // "BENCH:ref": ':' is legal in a path segment; encode anyway in case a ref ever carries something else.
        return URLEncoder.encode(activityId, StandardCharsets.UTF_8).replace("%3A", ":");
    }
}
