package org.convergenceledger.query.convergence;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Keeps the per-axis counts and budgets up to date one activity change at a time, inside the transaction of the
 * event that caused it: the change's old contribution is taken out and its new one put in. Within a processor
 * batch the changes of all its events are summed and written once, just before the batch's transaction commits.
 */
@Component
public class ConvergenceSummary {

    private static final String PENDING = ConvergenceSummary.class.getName() + ".pending";

    private final JdbcTemplate jdbc;

    ConvergenceSummary(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void replace(Contribution before, Contribution after) {
        ConvergenceDelta delta = ConvergenceDelta.between(before, after);
        if (delta.isEmpty()) {
            return;
        }
        if (!CurrentUnitOfWork.isStarted()) {
            write(delta);
            return;
        }
        // One set of upserts per processor batch, just before its commit, instead of three per event: the rows
        // commit with the token all the same, and nothing in the batch reads the summary before then.
        UnitOfWork<?> batch = CurrentUnitOfWork.get().root();
        ConvergenceDelta.Sum pending = batch.getOrComputeResource(PENDING, key -> {
            ConvergenceDelta.Sum sum = new ConvergenceDelta.Sum();
            batch.onPrepareCommit(committing -> write(sum.total()));
            return sum;
        });
        pending.add(delta);
    }

    private void write(ConvergenceDelta delta) {
        batch("""
                INSERT INTO convergence_state_count (axis, state, activities) VALUES (?, ?, ?)
                ON CONFLICT (axis, state) DO UPDATE
                SET activities = convergence_state_count.activities + excluded.activities
                """, rows(delta.byState()));
        batch("""
                INSERT INTO convergence_agency_count (axis, agency, activities) VALUES (?, ?, ?)
                ON CONFLICT (axis, agency) DO UPDATE
                SET activities = convergence_agency_count.activities + excluded.activities
                """, rows(delta.byAgency()));
        List<Object[]> budgetRows = new ArrayList<>();
        delta.budget().forEach((key, amount) ->
                budgetRows.add(new Object[] {key.axis(), key.measure().name(), key.currency(), amount}));
        batch("""
                INSERT INTO convergence_budget (axis, measure, currency, amount) VALUES (?, ?, ?, ?)
                ON CONFLICT (axis, measure, currency) DO UPDATE
                SET amount = convergence_budget.amount + excluded.amount
                """, budgetRows);
    }

    private static List<Object[]> rows(Map<ConvergenceDelta.AxisKey, Long> counts) {
        List<Object[]> rows = new ArrayList<>();
        counts.forEach((key, count) -> rows.add(new Object[] {key.axis(), key.key(), count}));
        return rows;
    }

    private void batch(String sql, List<Object[]> rows) {
        if (!rows.isEmpty()) {
            jdbc.batchUpdate(sql, rows);
        }
    }
}
