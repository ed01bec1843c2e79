package org.convergenceledger.query.convergence;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.convergenceledger.query.projection.TableRows;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Writes a batch's summed counter delta: one multi-row upsert per counter table, then the rows that reached zero
 * deleted, so that the tables hold exactly the non-empty counters whatever order and batches built them.
 */
final class Counters {

    static final TableRows.Table CELL = new TableRows.Table("convergence_cell", "dims", "row_key", "col_key", "state",
            "planned_currency", "committed_currency", "spent_currency", "activities", "planned", "committed", "spent");
    static final TableRows.Table PROGRESS = new TableRows.Table("convergence_progress", "dimension", "key",
            "activities", "committed", "started", "completed", "suspended", "cancelled", "beneficiaries");
    static final TableRows.Table EXECUTION = new TableRows.Table("convergence_execution", "dimension", "key",
            "currency", "activities", "committed", "spent", "committed_of_completed");

    private Counters() {
    }

    /** The counters of a whole ledger (a delta from nothing), written with COPY. */
    static Map<String, Long> copy(Connection connection, CounterDelta totals) throws SQLException {
        Map<String, Long> rows = new LinkedHashMap<>();
        List<Object[]> cells = new ArrayList<>();
        totals.cells.forEach((key, sum) -> {
            if (sum.activities != 0) {
                cells.add(new Object[] {key.dims(), key.row(), key.col(), key.state(), key.plannedCurrency(),
                        key.committedCurrency(), key.spentCurrency(), sum.activities, sum.planned, sum.committed,
                        sum.spent});
            }
        });
        rows.put(CELL.name(), TableRows.copy(connection, CELL, cells));
        List<Object[]> progress = new ArrayList<>();
        totals.progress.forEach((key, sum) -> {
            if (sum.activities != 0) {
                progress.add(new Object[] {key.dimension(), key.key(), sum.activities, sum.committed, sum.started,
                        sum.completed, sum.suspended, sum.cancelled, sum.beneficiaries});
            }
        });
        rows.put(PROGRESS.name(), TableRows.copy(connection, PROGRESS, progress));
        List<Object[]> execution = new ArrayList<>();
        totals.execution.forEach((key, sum) -> {
            if (sum.activities != 0) {
                execution.add(new Object[] {key.dimension(), key.key(), key.currency(), sum.activities,
                        sum.committed, sum.spent, sum.committedOfCompleted});
            }
        });
        rows.put(EXECUTION.name(), TableRows.copy(connection, EXECUTION, execution));
        return rows;
    }

    static void write(JdbcTemplate jdbc, CounterDelta delta) {
        List<Object[]> cells = new ArrayList<>();
        List<Object[]> emptiedCells = new ArrayList<>();
        delta.cells.forEach((key, sum) -> {
            if (sum.activities == 0 && sum.planned.signum() == 0 && sum.committed.signum() == 0
                    && sum.spent.signum() == 0) {
                return;
            }
            Object[] keyColumns = {key.dims(), key.row(), key.col(), key.state(), key.plannedCurrency(),
                    key.committedCurrency(), key.spentCurrency()};
            cells.add(new Object[] {key.dims(), key.row(), key.col(), key.state(), key.plannedCurrency(),
                    key.committedCurrency(), key.spentCurrency(), sum.activities, sum.planned, sum.committed,
                    sum.spent});
            if (sum.activities < 0) {
                emptiedCells.add(keyColumns);
            }
        });
        if (!cells.isEmpty()) {
            jdbc.batchUpdate("""
                    INSERT INTO convergence_cell (dims, row_key, col_key, state, planned_currency, committed_currency,
                        spent_currency, activities, planned, committed, spent)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (dims, row_key, col_key, state, planned_currency, committed_currency, spent_currency)
                    DO UPDATE SET activities = convergence_cell.activities + excluded.activities,
                        planned = convergence_cell.planned + excluded.planned,
                        committed = convergence_cell.committed + excluded.committed,
                        spent = convergence_cell.spent + excluded.spent
                    """, cells);
        }
        if (!emptiedCells.isEmpty()) {
            jdbc.batchUpdate("""
                    DELETE FROM convergence_cell WHERE dims = ? AND row_key = ? AND col_key = ? AND state = ?
                        AND planned_currency = ? AND committed_currency = ? AND spent_currency = ? AND activities = 0
                    """, emptiedCells);
        }

        List<Object[]> progress = new ArrayList<>();
        List<Object[]> emptiedProgress = new ArrayList<>();
        delta.progress.forEach((key, sum) -> {
            if (sum.activities == 0 && sum.committed == 0 && sum.started == 0 && sum.completed == 0
                    && sum.suspended == 0 && sum.cancelled == 0 && sum.beneficiaries == 0) {
                return;
            }
            progress.add(new Object[] {key.dimension(), key.key(), sum.activities, sum.committed, sum.started,
                    sum.completed, sum.suspended, sum.cancelled, sum.beneficiaries});
            if (sum.activities < 0) {
                emptiedProgress.add(new Object[] {key.dimension(), key.key()});
            }
        });
        if (!progress.isEmpty()) {
            jdbc.batchUpdate("""
                    INSERT INTO convergence_progress (dimension, key, activities, committed, started, completed,
                        suspended, cancelled, beneficiaries)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (dimension, key) DO UPDATE SET
                        activities = convergence_progress.activities + excluded.activities,
                        committed = convergence_progress.committed + excluded.committed,
                        started = convergence_progress.started + excluded.started,
                        completed = convergence_progress.completed + excluded.completed,
                        suspended = convergence_progress.suspended + excluded.suspended,
                        cancelled = convergence_progress.cancelled + excluded.cancelled,
                        beneficiaries = convergence_progress.beneficiaries + excluded.beneficiaries
                    """, progress);
        }
        if (!emptiedProgress.isEmpty()) {
            jdbc.batchUpdate("DELETE FROM convergence_progress WHERE dimension = ? AND key = ? AND activities = 0",
                    emptiedProgress);
        }

        List<Object[]> execution = new ArrayList<>();
        List<Object[]> emptiedExecution = new ArrayList<>();
        delta.execution.forEach((key, sum) -> {
            if (sum.activities == 0 && sum.committed.signum() == 0 && sum.spent.signum() == 0
                    && sum.committedOfCompleted.signum() == 0) {
                return;
            }
            execution.add(new Object[] {key.dimension(), key.key(), key.currency(), sum.activities, sum.committed,
                    sum.spent, sum.committedOfCompleted});
            if (sum.activities < 0) {
                emptiedExecution.add(new Object[] {key.dimension(), key.key(), key.currency()});
            }
        });
        if (!execution.isEmpty()) {
            jdbc.batchUpdate("""
                    INSERT INTO convergence_execution (dimension, key, currency, activities, committed, spent,
                        committed_of_completed)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (dimension, key, currency) DO UPDATE SET
                        activities = convergence_execution.activities + excluded.activities,
                        committed = convergence_execution.committed + excluded.committed,
                        spent = convergence_execution.spent + excluded.spent,
                        committed_of_completed = convergence_execution.committed_of_completed
                            + excluded.committed_of_completed
                    """, execution);
        }
        if (!emptiedExecution.isEmpty()) {
            jdbc.batchUpdate("""
                    DELETE FROM convergence_execution WHERE dimension = ? AND key = ? AND currency = ?
                        AND activities = 0
                    """, emptiedExecution);
        }
    }
}
