package org.convergenceledger.benchmark;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures "commit accepted → visible in the query service" for a sample of commits.
 *
 * <p>A commit is sampled when fewer than {@code maxFollowed} samples are being followed at that moment: at a low lag
 * nearly every commit is, at a lag of seconds the sample is bounded. A few watcher threads poll the query service for
 * the followed samples, the one due longest first; each watcher pauses one poll interval after each GET, so the
 * polling load is at most (watchers ÷ interval) GETs per second whatever the command rate and the lag, and a sample
 * is polled at most once per interval. When many samples are followed at once, each is polled less often: the
 * resolution is then about (samples followed ÷ watchers) × (interval + one GET), small next to a lag that large.
 */
final class LagWatchers {

    private static final class Sample implements Delayed {
        final String activityId;
        final long acceptedAtNanos;
        long nextPollAtNanos;

        Sample(String activityId, long acceptedAtNanos) {
            this.activityId = activityId;
            this.acceptedAtNanos = acceptedAtNanos;
            this.nextPollAtNanos = acceptedAtNanos;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(nextPollAtNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(nextPollAtNanos, ((Sample) other).nextPollAtNanos);
        }
    }

    private final DelayQueue<Sample> due = new DelayQueue<>();
    private final AtomicInteger followed = new AtomicInteger();
    private final int maxFollowed;
    private final long sampleGapNanos;
    private final AtomicLong lastSampledAt = new AtomicLong(Long.MIN_VALUE / 2);
    private final LedgerHttp http;
    private final long pollIntervalNanos;
    private final long timeoutNanos;
    private final List<Thread> threads = new ArrayList<>();
    private final List<Latencies> lags = new ArrayList<>();
    private final AtomicLong timeouts = new AtomicLong();
    private final AtomicLong polls = new AtomicLong();
    private final AtomicLong sampled = new AtomicLong();
    private final Errors pollErrors = new Errors();
    private volatile boolean accepting = true;

    LagWatchers(LedgerHttp http, LagOptions settings, String label) {
        this.http = http;
        this.maxFollowed = settings.inFlight;
        this.sampleGapNanos = TimeUnit.MILLISECONDS.toNanos(settings.sampleGapMs);
        this.pollIntervalNanos = TimeUnit.MILLISECONDS.toNanos(settings.pollIntervalMs);
        this.timeoutNanos = TimeUnit.SECONDS.toNanos(settings.timeoutSeconds);
        for (int i = 0; i < settings.watchers; i++) {
            Latencies mine = new Latencies();
            lags.add(mine);
            Thread thread = new Thread(() -> watch(mine), "lag-watcher-" + label + "-" + i);
            thread.setDaemon(true);
            threads.add(thread);
        }
        threads.forEach(Thread::start);
    }

    /** Called by a worker right after a commit's 200; samples the commit if fewer than the maximum are followed. */
    void accepted(String activityId, long acceptedAtNanos) {
        if (!accepting) {
            return;
        }
        long last = lastSampledAt.get();
        if (acceptedAtNanos - last < sampleGapNanos || !lastSampledAt.compareAndSet(last, acceptedAtNanos)) {
            return;
        }
        int now;
        do {
            now = followed.get();
            if (now >= maxFollowed) {
                return;
            }
        } while (!followed.compareAndSet(now, now + 1));
        sampled.incrementAndGet();
        due.add(new Sample(activityId, acceptedAtNanos));
    }

    /** Commits sampled so far (seen, timed out or still followed). */
    long sampled() {
        return sampled.get();
    }

    /** Stops taking samples and waits for the ones followed to be seen (each bounded by the timeout). */
    void finish() throws InterruptedException {
        accepting = false;
        for (Thread thread : threads) {
            thread.join();
        }
    }

    Latencies.Summary lag() {
        return Latencies.merge(lags).summary();
    }

    long timeouts() {
        return timeouts.get();
    }

    long polls() {
        return polls.get();
    }

    Errors pollErrors() {
        return pollErrors;
    }

    private void watch(Latencies mine) {
        try {
            while (accepting || followed.get() > 0) {
                Sample sample = due.poll(20, TimeUnit.MILLISECONDS);
                if (sample != null) {
                    pollOnce(sample, mine);
                    // One GET per interval per watcher at most, whatever the number of samples followed: the
                    // polling load stays that of a few threads polling every few ms.
                    Thread.sleep(pollIntervalNanos / 1_000_000, (int) (pollIntervalNanos % 1_000_000));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void pollOnce(Sample sample, Latencies mine) throws InterruptedException {
        try {
            LedgerHttp.Reply reply = http.activityView(sample.activityId);
            long seenAt = System.nanoTime();
            polls.incrementAndGet();
            if (reply.status() == 200 && "COMMITTED".equals(LedgerHttp.state(reply.body()))) {
                mine.add(seenAt - sample.acceptedAtNanos);
                followed.decrementAndGet();
                return;
            }
            if (reply.status() != 200 && reply.status() != 404) {
                pollErrors.record("GET activity " + reply.status(), reply.body());
            }
        } catch (java.io.IOException e) {
            pollErrors.record("GET activity " + e.getClass().getSimpleName(),
                    e.getMessage() != null ? e.getMessage() : e.toString());
        }
        long now = System.nanoTime();
        if (now - sample.acceptedAtNanos >= timeoutNanos) {
            timeouts.incrementAndGet();
            followed.decrementAndGet();
            return;
        }
        sample.nextPollAtNanos = now + pollIntervalNanos;
        due.add(sample);
    }
}
