package org.convergenceledger.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The services over HTTP/JSON with API keys, issued by the ADMIN key (LEDGER_ADMIN_KEY, else LEDGER_HOME/keys.env). */
final class Ledger {

    static final ObjectMapper JSON = new ObjectMapper();

    /** An answer, its body read whole (the reads measure its size). */
    record Reply(int status, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                return JSON.missingNode();
            }
        }
    }

    /** How long after a load the query side had applied every stored event, counted from the load's end. */
    record CatchUp(double seconds, boolean caughtUp, String detail) {
    }

    final String commandUrl;
    final String queryUrl;
    private final Duration timeout;
    // HTTP/1.1: with the default (HTTP/2) every new plain-http connection first tries an h2c upgrade
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, String> keys = new ConcurrentHashMap<>();
    private volatile String adminKey;

    Ledger(String commandUrl, String queryUrl, int timeoutSeconds) {
        this.commandUrl = commandUrl;
        this.queryUrl = queryUrl;
        this.timeout = Duration.ofSeconds(timeoutSeconds);
    }

    Reply send(String method, String url, String body, String key, Instant occurredAt)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("Accept", "application/json").method(method, body == null
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        if (occurredAt != null) {
            request.header("Occurred-At", occurredAt.toString());
        }
        HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Reply(response.statusCode(), response.body());
    }

    /** A GET with this key (null: none): status -1 for an answer that did not come; a service gone ends the run. */
    Reply get(String url, String key) throws Fatal, InterruptedException {
        try {
            return send("GET", url, null, key, null);
        } catch (ConnectException e) {
            throw new Fatal("the service stopped answering (" + url + "): " + e);
        } catch (IOException e) {
            return new Reply(-1, e.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The JSON of a GET that must answer 200 (key null: none); anything else ends the run. */
    JsonNode read(String url, String key) throws Fatal, InterruptedException {
        Reply reply = get(url, key);
        if (reply.status() != 200) {
            throw new Fatal("GET " + url + " answered " + reply.status() + ": " + reply.text());
        }
        return reply.json();
    }

    /** An agency's command, POST /api/activities{path} with its key; {@code occurredAt}: the fact's date, or now. */
    Reply command(String agency, String path, String body, Instant occurredAt)
            throws IOException, InterruptedException {
        return send("POST", commandUrl + "/api/activities" + path, body, key(agency), occurredAt);
    }

    /** An administrator's request: health details, agencies, keys, projections. */
    Reply admin(String method, String url, String body) throws IOException, InterruptedException {
        return send(method, url, body, adminKey(), null);
    }

    /** The run's key for an agency, or for "AUDITOR", issued once by the admin key. */
    String key(String holder) throws IOException, InterruptedException {
        String key = keys.get(holder);
        return key != null ? key : issue(holder);
    }

    private synchronized String issue(String holder) throws IOException, InterruptedException {
        if (!keys.containsKey(holder)) {
            Reply issued = admin("POST", commandUrl + "/api/admin/keys", holder.equals("AUDITOR")
                    ? json("{'role':'AUDITOR','label':'benchmark run'}")
                    : json("{'role':'AGENCY','label':'benchmark run','agencyCode':'%s'}", holder));
            if (issued.status() != 201) {
                throw new IOException("no key for " + holder + ": " + issued.status() + " " + issued.text());
            }
            keys.put(holder, issued.json().path("apiKey").asText());
        }
        return keys.get(holder);
    }

    private String adminKey() throws IOException {
        Path file = Path.of(System.getenv().getOrDefault("LEDGER_HOME", "deploy/.local"), "keys.env");
        if (adminKey == null && System.getenv("LEDGER_ADMIN_KEY") != null) {
            adminKey = System.getenv("LEDGER_ADMIN_KEY").strip();
        } else if (adminKey == null && Files.isReadable(file)) {
            adminKey = Files.readAllLines(file).stream().filter(l -> l.startsWith("KEY_ADMIN=")).findFirst()
                    .map(l -> l.substring(10).strip()).orElse(null);
        }
        if (adminKey == null) {
            throw new IOException("no admin key: set LEDGER_ADMIN_KEY, or LEDGER_HOME (" + file + ")");
        }
        return adminKey;
    }

    /** Registers these agencies (PUBLIC_AGENCY) and axes, code → name, 201 or 409, and issues their keys. */
    void register(Map<String, String> agencies, Map<String, String> axes) throws Fatal, InterruptedException {
        try {
            List<Reply> replies = new ArrayList<>();
            for (Map.Entry<String, String> agency : agencies.entrySet()) {
                replies.add(admin("POST", commandUrl + "/api/admin/agencies", json("{'agencyCode':'%s','name':'%s',"
                        + "'kind':'PUBLIC_AGENCY'}", agency.getKey(), agency.getValue())));
            }
            for (Map.Entry<String, String> axis : axes.entrySet()) {
                replies.add(admin("POST", commandUrl + "/api/admin/axes", json("{'axisCode':'%s','title':'%s'}",
                        axis.getKey(), axis.getValue())));
            }
            for (Reply reply : replies) {
                if (reply.status() != 201 && reply.status() != 409) {
                    throw new Fatal("registering the agencies and axes: " + reply.status() + " " + reply.text());
                }
            }
            for (String holder : agencies.keySet()) {
                key(holder); // now, not while measuring: the query side learns keys through the audit history
            }
            key("AUDITOR");
        } catch (IOException e) {
            throw new Fatal("setting up the agencies, axes and keys failed (" + e + "): is the system running? Start "
                    + "it with deploy/local.sh start, or give --command-url");
        }
        System.out.println("set-up           agencies " + agencies.keySet() + " (and keys), axes " + axes.keySet());
    }

    /** A service's health with the admin key (its details are for administrators), whatever the status. */
    JsonNode health(String baseUrl) throws InterruptedException {
        try {
            return admin("GET", baseUrl + "/actuator/health", null).json();
        } catch (IOException e) {
            return JSON.missingNode();
        }
    }

    /** The event store's head, its last global index; -1 when the command service does not report it. */
    long storeHead() throws InterruptedException {
        JsonNode head = health(commandUrl).path("components").path("publishing").path("details").path("storeHead");
        return head.isIntegralNumber() ? head.asLong() : -1;
    }

    /** Each query projection's last applied global sequence; -1 for one that applied nothing yet. */
    Map<String, Long> positions() throws InterruptedException {
        Map<String, Long> positions = new LinkedHashMap<>();
        health(queryUrl).path("components").path("projectionLag").path("details").fields().forEachRemaining(p -> {
            JsonNode applied = p.getValue().path("lastAppliedGlobalSequence");
            positions.put(p.getKey(), applied.isIntegralNumber() ? applied.asLong() : -1L);
        });
        return positions;
    }

    /** Until the query side applied the store head (seconds from since): no backlog spills into the next phase. */
    CatchUp awaitCatchUp(long since, int timeoutSeconds) throws Fatal, InterruptedException {
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        while (true) {
            long head = storeHead();
            long applied = positions().values().stream().mapToLong(Long::longValue).min().orElse(Long.MIN_VALUE);
            if (applied == Long.MIN_VALUE || head < 0) {
                throw new Fatal("no publishing.storeHead at " + commandUrl + " or no projection positions at "
                        + queryUrl + " in the health details: is the query service running? (--query-url)");
            }
            double seconds = (System.nanoTime() - since) / 1e9;
            if (applied >= head) {
                return new CatchUp(seconds, true, "applied up to the store head, global sequence " + head);
            } else if (System.nanoTime() - deadline > 0) {
                return new CatchUp(seconds, false, "still behind after " + timeoutSeconds + " s: applied " + applied
                        + " of " + head);
            }
            Thread.sleep(100);
        }
    }

    /** The benchmarks' plain activity (one axis, region and target group; 2024–2025) of agency BENCH. */
    static String proposal(String activityId) {
        return json("{'activityId':'%s','leadAgency':'BENCH','title':'Benchmark apprenticeship cohort',"
                + "'description':'Work-linked training for young job seekers, proposed by the command-path benchmark.',"
                + "'axes':['WORK_LINKED_TRAINING'],'regions':['ORIENTAL'],'targetGroups':['YOUTH'],'plannedPeriod':{"
                + "'start':'2024-03-01','end':'2025-02-28'},'plannedBudget':{'amount':1250000.00,'currency':'MAD'},"
                + "'partners':[]}", activityId);
    }

    /** A JSON body from a template written with ' for " (none of the values holds either). */
    static String json(String template, Object... values) {
        return String.format(Locale.ROOT, template.replace('\'', '"'), values);
    }

    /** An activity id as a path segment: "BENCH:ref" keeps its ':', anything else is encoded. */
    static String path(String activityId) {
        return URLEncoder.encode(activityId, StandardCharsets.UTF_8).replace("%3A", ":");
    }
}
