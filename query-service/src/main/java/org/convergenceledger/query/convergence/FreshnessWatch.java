package org.convergenceledger.query.convergence;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Announces on the change stream ("agency-freshness-changed") each agency whose freshness status changes: an agency
 * falls silent with time passing, not with an event, so the status is computed again every check interval
 * (ledger.query.freshness.check-interval) with the default thresholds. The first check only learns the statuses.
 */
@Component
class FreshnessWatch implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(FreshnessWatch.class);

    private final Freshness freshness;
    private final ConvergenceStream stream;
    private final Duration interval;
    private final Map<String, Freshness.Status> known = new HashMap<>();
    private boolean learned;
    private ScheduledExecutorService checker;

    FreshnessWatch(Freshness freshness, ConvergenceStream stream,
                   @Value("${ledger.query.freshness.check-interval:60s}") Duration interval) {
        this.freshness = freshness;
        this.stream = stream;
        this.interval = interval;
    }

    /** One check: what changed since the last one is announced. */
    synchronized void check() {
        boolean first = !learned;
        learned = true;
        for (Freshness.AgencyFreshness agency : freshness.at(Instant.now(), freshness.defaults())) {
            Freshness.Status before = known.put(agency.code(), agency.status());
            if (!first && before != agency.status()) {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("agency", agency.code());
                data.put("from", before == null ? "UNKNOWN" : before.name());
                data.put("to", agency.status().name());
                data.put("daysSilent", agency.daysSilent());
                data.put("overdueToStart", agency.overdueToStart());
                data.put("overdueToEnd", agency.overdueToEnd());
                stream.announce("agency-freshness-changed", data);
            }
        }
    }

    @Override
    public synchronized void start() {
        checker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "freshness-watch");
            thread.setDaemon(true);
            return thread;
        });
        checker.scheduleWithFixedDelay(() -> {
            try {
                check();
            } catch (RuntimeException failed) {
                log.warn("Freshness check failed, trying again in {}: {}", interval, failed.toString());
            }
        }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (checker != null) {
            checker.shutdownNow();
            checker = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return checker != null;
    }
}
