package org.convergenceledger.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Waits until the query side has applied everything the command side stored, so that one phase's backlog is not
 * measured as the next phase's lag, nor steals the CPU of the next raw-insert phase.
 *
 * <p>It reads the services' health details: the command service's {@code publishing.storeHead} (the event store's
 * last global index) and the query service's {@code projectionLag.<projection>.lastAppliedGlobalSequence}. When
 * those are not there, it falls back to a probe: one more activity proposed and committed, waited for until the
 * query service shows it COMMITTED (approximate when events are spread over several Kafka partitions).
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
    private int probes;

    CatchUp(LedgerHttp http, String commandUrl, String queryUrl, int timeoutSeconds) {
        this.http = http;
        this.commandUrl = commandUrl;
        this.queryUrl = queryUrl;
        this.timeoutNanos = TimeUnit.SECONDS.toNanos(timeoutSeconds);
    }

    /** @param start when the load stopped (System.nanoTime): the outcome's seconds count from there */
    Outcome await(String runTag, long start) throws InterruptedException {
        Long head = storeHead();
        if (head == null) {
            return probe(runTag, start);
        }
        long waitStart = System.nanoTime();
        while (true) {
            Long applied = appliedUpTo();
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
        String id = LedgerHttp.AGENCY + ":" + runTag + "-probe-" + (probes++);
        try {
            if (!http.propose(id).ok() || !http.commit(id).ok()) {
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

    private Long storeHead() throws InterruptedException {
        JsonNode head = health(commandUrl).path("components").path("publishing").path("details").path("storeHead");
        return head.isIntegralNumber() ? head.asLong() : null;
    }

    /** The lowest position any projection of the query service has applied, or null if not reported. */
    private Long appliedUpTo() throws InterruptedException {
        JsonNode details = health(queryUrl).path("components").path("projectionLag").path("details");
        Long lowest = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = details.fields(); it.hasNext(); ) {
            JsonNode applied = it.next().getValue().path("lastAppliedGlobalSequence");
            if (applied.isIntegralNumber()) {
                lowest = lowest == null ? applied.asLong() : Math.min(lowest, applied.asLong());
            } else if (applied.isNull()) {
                lowest = -1L; // a projection that applied nothing yet
            }
        }
        return lowest;
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
