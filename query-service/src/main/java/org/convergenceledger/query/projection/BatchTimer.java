package org.convergenceledger.query.projection;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a batch's time goes, phase by phase, logged at DEBUG (logging.level.…BatchTimer=DEBUG): what to look at
 * first when a projection falls behind.
 */
public final class BatchTimer {

    private static final Logger log = LoggerFactory.getLogger(BatchTimer.class);

    private final StringBuilder laps;
    private long last = System.nanoTime();
    private final long started = last;

    private BatchTimer(String projection, int events) {
        laps = log.isDebugEnabled() ? new StringBuilder(projection).append(": ").append(events).append(" events")
                : null;
    }

    public static BatchTimer start(String projection, int events) {
        return new BatchTimer(projection, events);
    }

    /**
     * With how long ago the batch's first event was recorded by the command side: when that age is far above the
     * batch's own time, the events waited upstream (publisher, broker, fetch), not in this projection.
     */
    public static BatchTimer start(String projection, int events, java.time.Instant firstRecorded) {
        BatchTimer timer = new BatchTimer(projection, events);
        if (timer.laps != null && firstRecorded != null) {
            timer.laps.append(", first recorded ")
                    .append(java.time.Duration.between(firstRecorded, java.time.Instant.now()).toMillis())
                    .append(" ms ago");
        }
        return timer;
    }

    public void lap(String phase) {
        if (laps != null) {
            long now = System.nanoTime();
            laps.append(", ").append(phase).append(' ').append((now - last) / 1_000_000).append(" ms");
            last = now;
        }
    }

    public void done() {
        if (laps != null) {
            log.debug("{}; total {} ms", laps, (System.nanoTime() - started) / 1_000_000);
        }
    }
}
