package org.convergenceledger.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Waits until the query side has applied everything the command side stored, so that one phase's backlog is not
 * measured as the next phase's lag, nor steals the CPU of the next raw-insert phase.
 *
 * <p>It reads the services' health details: the command service's {@code publishing.storeHead} (the event store's
 * last global index) and the query service's {@code projectionLag.<projection>.lastAppliedGlobalSequence}. When
 * those are not there, it falls back to a probe: one more activity proposed and committed, waited for until the
 * query service shows it COMMITTED (approximate when events are spread over several Kafka partitions). The probe is
 * an activity of an agency the running program registered (and holds a key for), in a target group of its own
 * ({@link LedgerHttp#PROBE_GROUP}), so that it makes no pair with the program's activities.
 */
final class CatchUp {

    /** How long the wait took, and what was waited for. */
    record Outcome(double seconds, boolean caughtUp, String detail) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LedgerHttp http;
    private final String commandUrl;
    private final String queryUrl;
    private final long timeoutNanos;
    private final String probeAgency;
    private int probes;

    /** @param probeAgency the lead agency of the probe activities: one the program registered */
    CatchUp(LedgerHttp http, String commandUrl, String queryUrl, int timeoutSeconds, String probeAgency) {
        this.http = http;
        this.probeAgency = probeAgency;
        this.commandUrl = commandUrl;
        this.queryUrl = queryUrl;
        this.timeoutNanos = TimeUnit.SECONDS.toNanos(timeoutSeconds);
    }

    /** @param start when the load stopped (System.nanoTime): the outcome's seconds count from there */
    Outcome await(String runTag, long start) throws InterruptedException {
        return await(runTag, start, null);
    }

    /**
     * As {@link #await(String, long)}, for one projection only (null: all of them). A projection's position moves
     * only with the events it handles — the audit history skips agency and axis registrations — so waiting for all
     * of them after such events would never end.
     */
    Outcome await(String runTag, long start, String projection) throws InterruptedException {
        Long head = storeHead();
        if (head == null) {
            return probe(runTag, start);
        }
        long waitStart = System.nanoTime();
        while (true) {
            Long applied = projection == null ? appliedUpTo() : appliedByProjection().get(projection);
            if (applied == null) {
                return probe(runTag, start);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (applied >= head) {
                return new Outcome(seconds, true, "applied up to the store head, global sequence " + head);
            }
            if (System.nanoTime() - waitStart > timeoutNanos) {
                return new Outcome(seconds, false, "still behind: applied " + applied + " of " + head);
            }
            Thread.sleep(100);
        }
    }

    private Outcome probe(String runTag, long start) throws InterruptedException {
        long waitStart = System.nanoTime();
        String id = probeAgency + ":" + runTag + "-probe-" + (probes++);
        try {
            if (!http.propose(id, probeAgency, LedgerHttp.PROBE_GROUP).ok() || !http.commit(id, probeAgency).ok()) {
                return new Outcome((System.nanoTime() - start) / 1e9, false, "probe " + id + " was refused");
            }
            while (System.nanoTime() - waitStart <= timeoutNanos) {
                LedgerHttp.Reply reply = http.activityView(id);
                if (reply.status() == 200 && "COMMITTED".equals(LedgerHttp.state(reply.body()))) {
                    return new Outcome((System.nanoTime() - start) / 1e9, true,
                            "probe activity visible (health details unavailable: approximate)");
                }
                Thread.sleep(50);
            }
            return new Outcome((System.nanoTime() - start) / 1e9, false, "probe " + id + " not visible yet");
        } catch (IOException e) {
            return new Outcome((System.nanoTime() - start) / 1e9, false, "probe failed: " + e);
        }
    }

    /** The command service's event store head (last global index), or null if its health does not say. */
    Long storeHead() throws InterruptedException {
        JsonNode head = health(commandUrl).path("components").path("publishing").path("details").path("storeHead");
        return head.isIntegralNumber() ? head.asLong() : null;
    }

    /** The lowest position any projection of the query service has applied, or null if not reported. */
    Long appliedUpTo() throws InterruptedException {
        Long lowest = null;
        for (long applied : appliedByProjection().values()) {
            lowest = lowest == null ? applied : Math.min(lowest, applied);
        }
        return lowest;
    }

    /**
     * Per projection of the query service, the last global sequence it applied; -1 for one that applied nothing
     * yet (or whose position was just reset by a rebuild). Empty when the health does not report positions.
     */
    Map<String, Long> appliedByProjection() throws InterruptedException {
        JsonNode details = health(queryUrl).path("components").path("projectionLag").path("details");
        Map<String, Long> positions = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = details.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> projection = it.next();
            JsonNode applied = projection.getValue().path("lastAppliedGlobalSequence");
            if (applied.isIntegralNumber()) {
                positions.put(projection.getKey(), applied.asLong());
            } else if (applied.isNull()) {
                positions.put(projection.getKey(), -1L);
            }
        }
        return positions;
    }

    /** The store head and each projection's position, for a progress line. */
    String positions() throws InterruptedException {
        Long head = storeHead();
        Map<String, Long> applied = appliedByProjection();
        return "store head " + (head == null ? "?" : String.format(Locale.ROOT, "%,d", head)) + ", query applied "
                + applied.entrySet().stream().map(e -> e.getKey() + " " + (e.getValue() < 0 ? "none"
                        : String.format(Locale.ROOT, "%,d", e.getValue()))).collect(Collectors.joining(", "));
    }

    private JsonNode health(String baseUrl) throws InterruptedException {
        try {
            // health answers 503 when a component is down, with the same body: read it whatever the status
            return JSON.readTree(http.health(baseUrl).body());
        } catch (IOException e) {
            return JSON.missingNode();
        }
    }
}
