package org.convergenceledger.command.coordination;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.convergenceledger.command.system.GroupCommit;
import org.convergenceledger.command.system.NowAndAfterTransaction;
import org.convergenceledger.command.system.OtherInstances;
import org.convergenceledger.events.coordination.PeriodClosed;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Keeps known_closed_period from PeriodClosed events. Subscribing, so the row is written in the transaction that
 * stores the event: a command after the closing sees it. Periods are few and never reopened, so every command reads
 * them from memory; a batch that fails to commit (which may have closed one) makes it read them again, and so does a
 * period closed through another instance of the service, once that is announced ({@link OtherInstances}). What
 * was read is tagged with a generation that every forgetting advances, so a read that overlapped a forgetting is
 * not used again.
 */
@Component
@ProcessingGroup(ClosedPeriodsProjection.GROUP)
class ClosedPeriodsProjection implements ClosedPeriods, GroupCommit.Listener, OtherInstances.Memory {

    static final String GROUP = "closed-periods";

    /** The periods as read when the generation was that number: stale once something was forgotten since. */
    private record Snapshot(long generation, List<PeriodClosed> periods) {
    }

    private final JdbcTemplate jdbc;
    private final AtomicLong generation = new AtomicLong();
    private final AtomicReference<Snapshot> periods = new AtomicReference<>();

    ClosedPeriodsProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(PeriodClosed event) {
        jdbc.update("INSERT INTO known_closed_period (period_id, agency, date_from, date_to, reason) "
                        + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (period_id) DO NOTHING", event.periodId(), event.agency(),
                event.from(), event.to(), event.reason());
        // Read again at the next command, this one's row included (the transaction's own connection sees it), and
        // again once the transaction has ended: another lane may have read the periods before this row committed.
        NowAndAfterTransaction.run(this::forget);
    }

    /** What was read before now is not used again, even by a read that is still under way. */
    private void forget() {
        generation.incrementAndGet();
        periods.set(null);
    }

    @Override
    public void batchRolledBack() {
        forget();
    }

    @Override
    public void appendedElsewhere(String aggregateType, Set<String> aggregateIds) {
        if (ReportingPeriod.class.getSimpleName().equals(aggregateType)) {
            forget();
        }
    }

    @Override
    public void forgetAll() {
        forget();
    }

    @Override
    public Optional<PeriodClosed> covering(String leadAgency, LocalDate dated) {
        Snapshot known = periods.get();
        if (known == null || known.generation() != generation.get()) {
            long before = generation.get();
            known = new Snapshot(before, jdbc.query("SELECT period_id, agency, date_from, date_to, reason"
                    + " FROM known_closed_period ORDER BY date_from, period_id", (row, n) -> new PeriodClosed(
                    row.getString(1), row.getString(2), row.getObject(3, LocalDate.class),
                    row.getObject(4, LocalDate.class), row.getString(5))));
            periods.set(known);
        }
        return known.periods().stream().filter(period -> period.covers(leadAgency, dated)).findFirst();
    }
}
