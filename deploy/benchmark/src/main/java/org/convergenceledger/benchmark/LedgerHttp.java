package org.convergenceledger.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The few calls the benchmark makes to the two services, as an agency's system would make them. */
final class LedgerHttp {

    static final String AGENCY = "BENCH";
    static final String AXIS = "WORK_LINKED_TRAINING";
    /**
     * The target group of the activities proposed only to measure (catch-up probes, the read-side benchmark's lag
     * samples): in no portfolio's vocabulary, so they share no cell with the activities of a workload and make no
     * pairs with them.
     */
    static final String PROBE_GROUP = "BENCHMARK_PROBES";

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
    private final String adminKey;
    // Agency keys issued for the run by the admin key, one per agency; and one auditor key.
    private final Map<String, String> keys = new ConcurrentHashMap<>();

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
        this.adminKey = adminKey();
    }

    /**
     * The ADMIN key the benchmark acts with: LEDGER_ADMIN_KEY, else KEY_ADMIN from the keys file local.sh has the
     * command service write ($LEDGER_HOME/keys.env, by default deploy/.local/keys.env).
     */
    private static String adminKey() {
        String key = System.getenv("LEDGER_ADMIN_KEY");
        if (key != null && !key.isBlank()) {
            return key.strip();
        }
        String home = System.getenv().getOrDefault("LEDGER_HOME", "deploy/.local");
        Path file = Path.of(home, "keys.env");
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith("KEY_ADMIN=")) {
                    return line.substring("KEY_ADMIN=".length()).strip();
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("no admin key: set LEDGER_ADMIN_KEY or run from the repository after "
                    + "deploy/local.sh start (" + file + " unreadable: " + e.getMessage() + ")");
        }
        throw new IllegalStateException("no KEY_ADMIN line in " + file + "; set LEDGER_ADMIN_KEY");
    }

    /** The key the benchmark uses for an agency (or "AUDITOR"), issued once per run by the admin key. */
    String keyOf(String holder) throws IOException, InterruptedException {
        String known = keys.get(holder);
        if (known != null) {
            return known;
        }
        synchronized (keys) {
            if (keys.containsKey(holder)) {
                return keys.get(holder);
            }
            ObjectNode body = JSON.createObjectNode();
            boolean auditor = holder.equals("AUDITOR");
            body.put("role", auditor ? "AUDITOR" : "AGENCY");
            if (!auditor) {
                body.put("agencyCode", holder);
            }
            body.put("label", "benchmark run");
            Reply issued = post(commandUrl + "/api/admin/keys", bytes(body), adminKey);
            if (issued.status() != 201) {
                throw new IllegalStateException("could not issue a key for " + holder + ": " + issued.status() + " "
                        + issued.body());
            }
            String key = JSON.readTree(issued.body()).path("apiKey").asText();
            keys.put(holder, key);
            return key;
        }
    }

    /** A Kafka login for the agency (SASL/SCRAM, user agency-CODE), issued by the admin key: its password. */
    String brokerPasswordOf(String agency) throws IOException, InterruptedException {
        Reply issued = post(commandUrl + "/api/admin/agencies/" + agency + "/broker-login", bytes(JSON.createObjectNode()),
                adminKey);
        if (issued.status() != 201) {
            throw new IllegalStateException("could not issue a Kafka login for " + agency + ": " + issued.status()
                    + " " + issued.body());
        }
        return JSON.readTree(issued.body()).path("password").asText();
    }

    Reply health(String baseUrl) throws IOException, InterruptedException {
        // With the admin key: the details (lags, positions) are for administrators.
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/health"))
                .header("Authorization", "Bearer " + adminKey).timeout(Duration.ofSeconds(5)).GET().build();
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

    /**
     * Adds to {@code problems} what is wrong with a service's health (nothing when it answers UP): connection
     * refused, timeouts, another status.
     */
    void checkHealth(String name, String baseUrl, List<String> problems) throws InterruptedException {
        String where = baseUrl + "/actuator/health";
        try {
            Reply reply = health(baseUrl);
            String status = healthStatus(reply.body());
            if (reply.status() != 200 || !"UP".equals(status)) {
                problems.add(name + ": " + where + " answered " + reply.status() + " " + status);
            }
        } catch (ConnectException e) {
            problems.add(name + ": nothing answers at " + baseUrl + " (connection refused)");
        } catch (HttpConnectTimeoutException e) {
            problems.add(name + ": cannot connect to " + baseUrl + " within 5 s");
        } catch (HttpTimeoutException e) {
            problems.add(name + ": " + where + " did not answer within 5 s");
        } catch (IOException | IllegalArgumentException e) {
            problems.add(name + ": " + where + ": " + e);
        }
    }

    Reply registerAgency() throws IOException, InterruptedException {
        return registerAgency(AGENCY, "Benchmark agency", "PUBLIC_AGENCY");
    }

    Reply registerAgency(String code, String name, String kind) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        body.put("agencyCode", code);
        body.put("name", name);
        body.put("kind", kind);
        return post(commandUrl + "/api/admin/agencies", bytes(body), adminKey);
    }

    Reply defineAxis() throws IOException, InterruptedException {
        return defineAxis(AXIS, "Work-linked training");
    }

    Reply defineAxis(String code, String title) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        body.put("axisCode", code);
        body.put("title", title);
        return post(commandUrl + "/api/admin/axes", bytes(body), adminKey);
    }

    /** Proposes an activity from a ready-made body, recorded by {@code agency}. */
    Reply propose(byte[] body, String agency) throws IOException, InterruptedException {
        return propose(body, agency, null);
    }

    /** The same, with the moment the fact happened ({@code Occurred-At}; null: now). */
    Reply propose(byte[] body, String agency, Instant occurredAt) throws IOException, InterruptedException {
        return post(commandUrl + "/api/activities", body, keyOf(agency), occurredAt);
    }

    /** Commits an activity with a ready-made body, recorded by {@code agency}. */
    Reply commit(String activityId, byte[] body, String agency) throws IOException, InterruptedException {
        return step(activityId, "commitment", body, agency);
    }

    /**
     * A lifecycle request, {@code POST /api/activities/{id}/{step}} (commitment, start, completion, revision,
     * cancellation, partners…) with a ready-made body, recorded by {@code agency}.
     */
    Reply step(String activityId, String step, byte[] body, String agency) throws IOException, InterruptedException {
        return step(activityId, step, body, agency, null);
    }

    /** The same, with the moment the fact happened ({@code Occurred-At}; null: now). */
    Reply step(String activityId, String step, byte[] body, String agency, Instant occurredAt)
            throws IOException, InterruptedException {
        return post(commandUrl + "/api/activities/" + path(activityId) + "/" + step, body, keyOf(agency),
                occurredAt);
    }

    /** An answer read as bytes: the reads measure the response size, and need not decode it. */
    record Raw(int status, byte[] body) {
    }

    /** GET of a path of the query service, e.g. {@code /api/convergence/matrix?rows=axis&cols=agency}. */
    Raw query(String pathAndQuery) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(queryUrl + pathAndQuery))
                .timeout(requestTimeout).header("Accept", "application/json").GET().build();
        HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        return new Raw(response.statusCode(), response.body());
    }

    /** GET of a path of the command service (its audit endpoints), e.g. {@code /api/audit/checkpoints/latest}. */
    Raw command(String pathAndQuery) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(commandUrl + pathAndQuery))
                .timeout(requestTimeout).header("Authorization", "Bearer " + keyOf("AUDITOR")).GET().build();
        HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        return new Raw(response.statusCode(), response.body());
    }

    /**
     * GET of a path of the command service whose answer is read as it arrives (an export): the caller reads and
     * closes the stream. The request timeout bounds the wait for the answer's headers only.
     */
    HttpResponse<java.io.InputStream> commandStream(String pathAndQuery) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(commandUrl + pathAndQuery))
                .timeout(requestTimeout).header("Authorization", "Bearer " + keyOf("AUDITOR")).GET().build();
        return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    }

    /** POST without a body to the query service (its admin endpoints). */
    Reply queryPost(String path) throws IOException, InterruptedException {
        return send(queryAdmin(path).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    /** GET of an admin endpoint of the query service, e.g. a rebuild's status. */
    Reply queryAdminGet(String path) throws IOException, InterruptedException {
        return send(queryAdmin(path).GET().build());
    }

    private HttpRequest.Builder queryAdmin(String path) {
        return HttpRequest.newBuilder(URI.create(queryUrl + path))
                .timeout(requestTimeout).header("Accept", "application/json")
                .header("Authorization", "Bearer " + adminKey);
    }

    Reply propose(String activityId) throws IOException, InterruptedException {
        return propose(activityId, AGENCY, "YOUTH");
    }

    /** The command-path benchmark's activity (one axis, region and group, 2024–2025), for another agency or group. */
    Reply propose(String activityId, String agency, String targetGroup) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        body.put("activityId", activityId);
        body.put("leadAgency", agency);
        body.put("title", "Benchmark apprenticeship cohort");
        body.put("description", "Work-linked training for young job seekers, proposed by the command-path benchmark.");
        body.putArray("axes").add(AXIS);
        body.putArray("regions").add("ORIENTAL");
        body.putArray("targetGroups").add(targetGroup);
        ObjectNode period = body.putObject("plannedPeriod");
        period.put("start", "2024-03-01");
        period.put("end", "2025-02-28");
        body.set("plannedBudget", money("1250000.00"));
        body.putArray("partners");
        return propose(bytes(body), agency);
    }

    Reply commit(String activityId) throws IOException, InterruptedException {
        return commit(activityId, AGENCY);
    }

    /** Commits an activity proposed by {@link #propose(String, String, String)}. */
    Reply commit(String activityId, String agency) throws IOException, InterruptedException {
        return commit(activityId, commitBody, agency);
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

    private Reply post(String url, byte[] body, String apiKey) throws IOException, InterruptedException {
        return post(url, body, apiKey, null);
    }

    private Reply post(String url, byte[] body, String apiKey, Instant occurredAt)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header("Authorization", "Bearer " + apiKey);
        if (occurredAt != null) {
            request.header("Occurred-At", occurredAt.toString());
        }
        return send(request.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
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

    static byte[] bytes(JsonNode node) {
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
