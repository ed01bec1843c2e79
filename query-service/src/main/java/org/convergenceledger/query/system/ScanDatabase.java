package org.convergenceledger.query.system;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reads that go through much of the ledger — views as of a past instant, replays, digests — run here: on their own
 * small pool, at most as many at a time as it has connections. One that cannot start within the wait is refused
 * ({@link TooBusy}, 429) rather than queued without end: on two cores a pile of long reads would otherwise take the
 * CPU from live reads and from the projections.
 */
public final class ScanDatabase implements DisposableBean {

    private final HikariDataSource dataSource;
    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final TransactionTemplate snapshot;
    private final TransactionTemplate writable;
    private final Semaphore running;
    private final Duration wait;

    ScanDatabase(HikariDataSource dataSource, Duration wait) {
        this.dataSource = dataSource;
        this.jdbc = new JdbcTemplate(dataSource);
        this.named = new NamedParameterJdbcTemplate(jdbc);
        DataSourceTransactionManager transactions = new DataSourceTransactionManager(dataSource);
        this.snapshot = new TransactionTemplate(transactions);
        snapshot.setReadOnly(true);
        snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        // Replays write their rows into session-private tables, so their transaction cannot be read-only.
        this.writable = new TransactionTemplate(transactions);
        writable.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        this.running = new Semaphore(dataSource.getMaximumPoolSize(), true);
        this.wait = wait;
    }

    /** Runs a long read in one read-only snapshot, or refuses it with {@link TooBusy}. */
    public <T> T read(String what, Function<NamedParameterJdbcTemplate, T> reads) {
        return limited(what, () -> snapshot.execute(status -> reads.apply(named)));
    }

    /** Runs work that writes only session-private tables, rolled back at the end, or refuses it. */
    public <T> T scratch(String what, Function<NamedParameterJdbcTemplate, T> work) {
        return limited(what, () -> writable.execute(status -> {
            try {
                return work.apply(named);
            } finally {
                status.setRollbackOnly();
            }
        }));
    }

    public HikariDataSource dataSource() {
        return dataSource;
    }

    public JdbcTemplate jdbc() {
        return jdbc;
    }

    private <T> T limited(String what, java.util.function.Supplier<T> work) {
        boolean admitted;
        try {
            admitted = running.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new TooBusy(what, retryAfter());
        }
        if (!admitted) {
            throw new TooBusy(what, retryAfter());
        }
        try {
            return work.get();
        } finally {
            running.release();
        }
    }

    // A long read takes about a second here; asking again after a few lets the running ones finish.
    private Duration retryAfter() {
        return Duration.ofSeconds(Math.max(1, wait.toSeconds() * 2));
    }

    @Override
    public void destroy() {
        dataSource.close();
    }
}
