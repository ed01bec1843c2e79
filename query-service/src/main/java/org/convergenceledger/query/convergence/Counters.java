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
        delta.sortedCells().forEach(entry -> {
            var key = entry.getKey();
            var sum = entry.getValue();
            if (sum.activities != 0 || sum.planned.signum() != 0 || sum.committed.signum() != 0
                    || sum.spent.signum() != 0) {
                cells.add(new Object[] {key.dims(), key.row(), key.col(), key.state(), key.plannedCurrency(),
                        key.committedCurrency(), key.spentCurrency(), sum.activities, sum.planned, sum.committed,
                        sum.spent});
            }
        });
        List<Object[]> progress = new ArrayList<>();
        delta.sortedProgress().forEach(entry -> {
            var key = entry.getKey();
            var sum = entry.getValue();
            if (sum.activities != 0 || sum.committed != 0 || sum.started != 0 || sum.completed != 0
                    || sum.suspended != 0 || sum.cancelled != 0 || sum.beneficiaries != 0) {
                progress.add(new Object[] {key.dimension(), key.key(), sum.activities, sum.committed, sum.started,
                        sum.completed, sum.suspended, sum.cancelled, sum.beneficiaries});
            }
        });
        List<Object[]> execution = new ArrayList<>();
        delta.sortedExecution().forEach(entry -> {
            var key = entry.getKey();
            var sum = entry.getValue();
            if (sum.activities != 0 || sum.committed.signum() != 0 || sum.spent.signum() != 0
                    || sum.committedOfCompleted.signum() != 0) {
                execution.add(new Object[] {key.dimension(), key.key(), key.currency(), sum.activities,
                        sum.committed, sum.spent, sum.committedOfCompleted});
            }
        });
        add(jdbc, CELL, cells, "dims, row_key, col_key, state, planned_currency, committed_currency, spent_currency",
                "activities, planned, committed, spent");
        add(jdbc, PROGRESS, progress, "dimension, key",
                "activities, committed, started, completed, suspended, cancelled, beneficiaries");
        add(jdbc, EXECUTION, execution, "dimension, key, currency",
                "activities, committed, spent, committed_of_completed");
    }

    /** Where the activities delta sits in a row: right after the key columns. */
    private static int keyColumns(String key) {
        return key.split(", ").length;
    }

    /**
     * Adds the deltas to the counters with one upsert (sorted keys: concurrent writers lock rows in the same order),
     * then deletes the counters the batch brought to zero.
     */
    private static void add(JdbcTemplate jdbc, TableRows.Table table, List<Object[]> rows, String key,
                            String sums) {
        if (rows.isEmpty()) {
            return;
        }
        StringBuilder adding = new StringBuilder("ON CONFLICT (" + key + ") DO UPDATE SET ");
        String[] columns = sums.split(", ");
        for (int i = 0; i < columns.length; i++) {
            adding.append(i > 0 ? ", " : "").append(columns[i]).append(" = ").append(table.name()).append('.')
                    .append(columns[i]).append(" + excluded.").append(columns[i]);
        }
        String staged = TableRows.upsert(jdbc, table, rows, adding.toString());
        // Only a counter that went down can have reached zero.
        if (rows.stream().noneMatch(row -> ((Number) row[keyColumns(key)]).longValue() < 0)) {
            return;
        }
        StringBuilder sameKey = new StringBuilder();
        for (String column : key.split(", ")) {
            sameKey.append(" AND t.").append(column).append(" = s.").append(column);
        }
        jdbc.update("DELETE FROM " + table.name() + " t USING " + staged + " s WHERE s.activities < 0"
                + sameKey + " AND t.activities = 0");
    }
}
