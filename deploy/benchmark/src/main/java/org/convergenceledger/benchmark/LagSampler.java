package org.convergenceledger.benchmark;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The lag from a commit's 200 to the query service showing the activity COMMITTED, for a sample of the commits. A
 * commit is sampled when fewer than {@code inFlight} samples are followed (2) and at least {@code gapMs} (50) after
 * the last sample. Two watcher threads poll for the followed samples, the one due soonest first, each pausing 10 ms
 * after every GET: the polling load is at most 200 GETs/s whatever the command rate, it never slows the workers, and
 * the lag's resolution is 10 ms plus one GET while each watcher follows one sample (coarser when more are followed).
 * A sample not seen within 30 s is a timeout.
 */
final class LagSampler {

    private static final int POLL_MS = 10;
    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

    final int inFlight;
    final int gapMs;
    final AtomicLong polls = new AtomicLong();
    final AtomicLong sampled = new AtomicLong();
    private final Ledger ledger;
    private final ScheduledExecutorService watchers = Executors.newScheduledThreadPool(2);
    private final AtomicInteger followed = new AtomicInteger();
    private final AtomicLong lastSampledAt = new AtomicLong(Long.MIN_VALUE / 2);
    private final Latencies lags = new Latencies();
    private volatile boolean accepting = true;

    /** A phase's sampler, its bounds raised so that twice {@code minSamples} fit in its seconds at a lag of 1 s. */
    LagSampler(Ledger ledger, long seconds, int minSamples) {
        this.ledger = ledger;
        this.inFlight = Math.max(2, (int) Math.ceil(2.0 * minSamples / seconds));
        this.gapMs = (int) Math.min(50, minSamples == 0 ? 50 : Math.max(1, seconds * 1000 / (2L * minSamples)));
    }

    /** Called by a worker right after a commit's 200: samples it when the bounds allow. */
    void accepted(String activityId, long acceptedAt) {
        long last = lastSampledAt.get();
        if (!accepting || acceptedAt - last < gapMs * 1_000_000L || !lastSampledAt.compareAndSet(last, acceptedAt)) {
            return;
        }
        if (followed.incrementAndGet() > inFlight) {
            followed.decrementAndGet();
            return;
        }
        sampled.incrementAndGet();
        watchers.execute(() -> poll(activityId, acceptedAt));
    }

    /** Stops sampling and waits until the followed samples are seen (or timed out). */
    void finish() throws InterruptedException {
        accepting = false;
        while (followed.get() > 0) {
            Thread.sleep(20);
        }
        watchers.shutdown();
    }

    /** The lags of the samples "seen" and of those "timed out", as a copy: watchers may still be adding. */
    Latencies lags() {
        synchronized (lags) {
            return Latencies.merge(List.of(lags));
        }
    }

    private void poll(String activityId, long acceptedAt) {
        try {
            boolean seen; // a query service not answering shows as timeouts
            try {
                seen = "COMMITTED".equals(ledger.get(ledger.queryUrl + "/api/activities/" + Ledger.path(activityId),
                        null).json().path("state").asText());
            } catch (Fatal e) {
                seen = false;
            }
            long seenAt = System.nanoTime();
            polls.incrementAndGet();
            if (seen || seenAt - acceptedAt >= TIMEOUT_NANOS) {
                synchronized (lags) {
                    lags.add(seen ? "seen" : "timed out", seenAt - acceptedAt);
                }
                followed.decrementAndGet();
            } else {
                watchers.schedule(() -> poll(activityId, acceptedAt), POLL_MS, TimeUnit.MILLISECONDS);
            }
            Thread.sleep(POLL_MS); // one GET per interval per watcher at most, however many samples are followed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
