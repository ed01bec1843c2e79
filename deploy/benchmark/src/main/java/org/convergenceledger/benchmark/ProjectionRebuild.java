package org.convergenceledger.benchmark;

import static org.convergenceledger.benchmark.Report.firstLine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A rebuild of a query projection as the query service runs and reports it: {@code POST
 * /api/admin/projections/{name}/rebuild} (202; the view is built from the event store into staging tables and
 * swapped in, the live one answering meanwhile — its position never drops), then {@code GET} of the same path every
 * 500 ms until its state is "completed" or "failed". The figures are the service's own: events, seconds, events/s,
 * and how long the live processor was paused for the swap.
 */
final class ProjectionRebuild {

    /** {@code state}: completed, failed, refused (no 202) or timed-out; -1 / NaN for what was not reported. */
    record Status(String state, long events, double seconds, double eventsPerSecond, long pausedMillis,
                  double wallSeconds, String detail) {
        boolean completed() {
            return "completed".equals(state);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private ProjectionRebuild() {
    }

    static Status run(LedgerHttp http, String projection, int timeoutSeconds, int progressSeconds)
            throws Fatal, InterruptedException {
        String path = "/api/admin/projections/" + projection + "/rebuild";
        long start = System.nanoTime();
        LedgerHttp.Reply reply;
        try {
            reply = http.queryPost(path);
        } catch (IOException e) {
            throw new Fatal("the rebuild request failed: " + e);
        }
        if (reply.status() != 202) {
            return new Status("refused", -1, Double.NaN, Double.NaN, -1, (System.nanoTime() - start) / 1e9,
                    reply.status() + " " + firstLine(reply.body()));
        }
        long deadline = start + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        long lastProgress = start;
        while (true) {
            Thread.sleep(500);
            LedgerHttp.Reply status;
            try {
                status = http.queryAdminGet(path);
            } catch (IOException e) {
                throw new Fatal("the query service stopped answering during the rebuild: " + e);
            }
            double wall = (System.nanoTime() - start) / 1e9;
            JsonNode json = json(status.body());
            String state = json.path("state").asText("?");
            if (status.status() == 200 && (state.equals("completed") || state.equals("failed"))) {
                return new Status(state, json.path("events").asLong(-1), json.path("seconds").asDouble(Double.NaN),
                        json.path("eventsPerSecond").asDouble(Double.NaN), json.path("pausedMillis").asLong(-1),
                        wall, json.path("error").isTextual() ? json.path("error").asText() : null);
            }
            if (System.nanoTime() - deadline > 0) {
                return new Status("timed-out", -1, Double.NaN, Double.NaN, -1, wall, "still " + state + " after "
                        + timeoutSeconds + " s (" + status.status() + ")");
            }
            if (System.nanoTime() - lastProgress > TimeUnit.SECONDS.toNanos(progressSeconds)) {
                lastProgress = System.nanoTime();
                System.out.printf(Locale.ROOT, "[rebuild %3.0f s] %s%n", wall, state);
            }
        }
    }

    /** The status in one line: state, events, seconds, rate, pause. */
    static String describe(Status s) {
        return String.format(Locale.ROOT, "%s: %s events in %s s = %s events/s, processor paused %s ms (%.1f s from "
                        + "the request to the final status)%s", s.state(), s.events() < 0 ? "-"
                        : String.format(Locale.ROOT, "%,d", s.events()), Report.num(s.seconds()),
                Report.rate(s.eventsPerSecond()), s.pausedMillis() < 0 ? "-" : s.pausedMillis(), s.wallSeconds(),
                s.detail() == null ? "" : " — " + s.detail());
    }

    private static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.missingNode();
        }
    }
}
