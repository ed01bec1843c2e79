package org.convergenceledger.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Who went silent (GET /api/convergence/freshness): an agency that never reported is silent, one with an activity
 * past its planned start is late, one whose activities are on time is current; a change of status is announced on
 * the change stream.
 */
class FreshnessIT extends OnTheLedger {

    @Test
    void anAgencyGoesFromSilentToLateToCurrentAndTheStreamSaysSo() throws Exception {
        String agency = "FRESH" + (System.nanoTime() % 100_000);
        // The test system serves few stream readers (ConvergenceIT fills them); a 429 clears within seconds.
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<java.io.InputStream> stream = await().atMost(Duration.ofSeconds(30)).until(() -> {
            HttpResponse<java.io.InputStream> opened = client.send(HttpRequest.newBuilder(
                    URI.create(system.queryUrl() + "/api/convergence/stream")).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (opened.statusCode() != 200) {
                opened.body().close();
            }
            return opened;
        }, opened -> opened.statusCode() == 200);
        BlockingQueue<JsonNode> announced = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(),
                    StandardCharsets.UTF_8))) {
                boolean named = false;
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.equals("event:agency-freshness-changed")) {
                        named = true;
                    } else if (named && line.startsWith("data:") && line.contains("\"" + agency + "\"")) {
                        announced.add(Http.JSON.readTree(line.substring("data:".length())));
                    } else if (line.isEmpty()) {
                        named = false;
                    }
                }
            } catch (java.io.IOException closed) {
                // the test closed the stream
            }
        }, "freshness-stream-reader");
        reader.setDaemon(true);
        reader.start();
        try {
            Http.As admin = Ledger.admin(system);
            assertThat(admin.post(system.commandUrl() + "/api/admin/agencies", Map.of("agencyCode", agency,
                    "name", "Fresh agency", "kind", "PUBLIC_AGENCY")).status()).isEqualTo(201);
            Http.Response issued = admin.post(system.commandUrl() + "/api/admin/keys",
                    Map.of("role", "AGENCY", "agencyCode", agency, "label", "freshness"));
            assertThat(issued.status()).as(issued.raw().body()).isEqualTo(201);
            Http.As fresh = Http.as(issued.json().path("apiKey").asText());

            // A new agency that has not reported: silent, and announced as such once the watch sees it.
            JsonNode silent = await().atMost(Duration.ofSeconds(30)).until(() -> of(agency), row -> row != null);
            assertThat(silent.path("status").asText()).isEqualTo("SILENT");
            assertThat(silent.path("lastRecordedAt").isNull()).isTrue();
            assertThat(silent.path("eventsRecorded").asLong()).isZero();
            JsonNode seen = announced.poll(30, TimeUnit.SECONDS);
            assertThat(seen).as("the new agency announced").isNotNull();
            assertThat(seen.path("from").asText()).isEqualTo("UNKNOWN");
            assertThat(seen.path("to").asText()).isEqualTo("SILENT");

            // Planned to start in 2024 and only proposed: overdue.
            String id = Ledger.newActivityId(agency, "LATE");
            Map<String, Object> proposal = new HashMap<>(Ledger.proposal(id, agency));
            proposal.put("partners", List.of());
            assertThat(fresh.post(system.commandUrl() + "/api/activities", proposal).status()).isEqualTo(201);
            JsonNode late = await().atMost(Duration.ofSeconds(30)).until(() -> of(agency),
                    row -> row.path("status").asText().equals("LATE"));
            assertThat(late.path("overdueToStart").asLong()).isEqualTo(1);
            assertThat(late.path("overdueToEnd").asLong()).isZero();
            assertThat(late.path("daysSilent").asLong()).isZero();
            assertThat(late.path("eventsRecorded").asLong()).isEqualTo(1);
            assertThat(late.path("lastRecordedAt").asText()).isNotEmpty();
            JsonNode change = announced.poll(30, TimeUnit.SECONDS);
            assertThat(change).as("the change to late announced").isNotNull();
            assertThat(change.path("from").asText()).isEqualTo("SILENT");
            assertThat(change.path("to").asText()).isEqualTo("LATE");
            assertThat(change.path("overdueToStart").asLong()).isEqualTo(1);

            // Started, then past its planned end: still late; completed: current.
            String activity = system.commandUrl() + "/api/activities/" + id;
            assertThat(fresh.post(activity + "/commitment", Map.of("committedAmount",
                    Map.of("amount", new BigDecimal("1000.00"), "currency", "MAD"), "committedOn", "2024-02-20"))
                    .status()).isEqualTo(200);
            assertThat(fresh.post(activity + "/start", Map.of("startedOn", "2024-03-01")).status()).isEqualTo(200);
            JsonNode started = await().atMost(Duration.ofSeconds(30)).until(() -> of(agency),
                    row -> row.path("overdueToEnd").asLong() == 1);
            assertThat(started.path("status").asText()).isEqualTo("LATE");
            assertThat(started.path("overdueToStart").asLong()).isZero();
            assertThat(fresh.post(activity + "/completion", Map.of("completedOn", "2025-02-28",
                    "amountSpent", Map.of("amount", new BigDecimal("900.00"), "currency", "MAD"),
                    "beneficiariesReached", 10)).status()).isEqualTo(200);
            JsonNode current = await().atMost(Duration.ofSeconds(30)).until(() -> of(agency),
                    row -> row.path("status").asText().equals("CURRENT"));
            assertThat(current.path("eventsRecorded").asLong()).isEqualTo(4);
            JsonNode recovered = announced.poll(30, TimeUnit.SECONDS);
            assertThat(recovered).as("the change to current announced").isNotNull();
            assertThat(recovered.path("from").asText()).isEqualTo("LATE");
            assertThat(recovered.path("to").asText()).isEqualTo("CURRENT");
        } finally {
            stream.body().close();
        }
    }

    @Test
    void thresholdsCanBeGivenAndAreChecked() {
        Http.Response strict = Http.get(system.queryUrl() + "/api/convergence/freshness?silentAfterDays=1"
                + "&overdueAfterDays=10000");
        assertThat(strict.status()).isEqualTo(200);
        assertThat(strict.json().path("silentAfterDays").asInt()).isEqualTo(1);
        assertThat(strict.json().path("overdueAfterDays").asInt()).isEqualTo(10000);
        // Nothing planned 27 years ago: with that grace nothing is overdue.
        for (JsonNode agency : strict.json().path("agencies")) {
            assertThat(agency.path("overdueToStart").asLong() + agency.path("overdueToEnd").asLong())
                    .as(agency.toString()).isZero();
        }
        Http.Response bad = Http.get(system.queryUrl() + "/api/convergence/freshness?silentAfterDays=0");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.header("Content-Type")).startsWith("application/problem+json");
        assertThat(bad.json().path("parameter").asText()).isEqualTo("silentAfterDays");
    }

    private static JsonNode of(String agency) {
        for (JsonNode row : Http.get(system.queryUrl() + "/api/convergence/freshness").json().path("agencies")) {
            if (row.path("code").asText().equals(agency)) {
                return row;
            }
        }
        return null;
    }
}
