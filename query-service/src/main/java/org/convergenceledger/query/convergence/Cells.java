package org.convergenceledger.query.convergence;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.convergenceledger.events.common.ActivityState;
import org.convergenceledger.query.convergence.ConvergenceAnswers.Budget;
import org.convergenceledger.query.convergence.ConvergenceAnswers.Cell;

/**
 * Folds grouped rows — counts and money per cell, state and currencies, from the counters or from grouping versions —
 * into matrix cells: counts by state, money per currency (never added across currencies; a cancelled activity adds
 * none). Amounts are shown without trailing zeros, so the same money reads the same whichever way it was added up.
 */
final class Cells {

    /** One grouped row; currencies are null (or empty) where there is no such money. */
    record Row(String row, String col, String state, long activities, String plannedCurrency, BigDecimal planned,
               String committedCurrency, BigDecimal committed, String spentCurrency, BigDecimal spent) {
    }

    private final Map<String, Map<String, Builder>> cells = new TreeMap<>();

    void add(Row row) {
        cells.computeIfAbsent(row.row(), r -> new TreeMap<>()).computeIfAbsent(row.col(), c -> new Builder()).add(row);
    }

    List<Cell> build() {
        List<Cell> built = new ArrayList<>();
        cells.forEach((row, cols) -> cols.forEach((col, cell) -> {
            if (cell.activities > 0) {
                built.add(cell.build(row, col));
            }
        }));
        return built;
    }

    static BigDecimal plain(BigDecimal amount) {
        BigDecimal stripped = amount.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    static void addMoney(Map<String, BigDecimal> sums, String currency, BigDecimal amount) {
        if (currency != null && !currency.isEmpty() && amount != null) {
            sums.merge(currency, amount, BigDecimal::add);
        }
    }

    static Map<String, BigDecimal> plain(Map<String, BigDecimal> sums) {
        Map<String, BigDecimal> shown = new TreeMap<>();
        sums.forEach((currency, amount) -> shown.put(currency, plain(amount)));
        return shown;
    }

    private static final class Builder {
        private long activities;
        private final Map<String, Long> byState = new TreeMap<>();
        private final Map<String, BigDecimal> planned = new TreeMap<>();
        private final Map<String, BigDecimal> committed = new TreeMap<>();
        private final Map<String, BigDecimal> spent = new TreeMap<>();

        void add(Row row) {
            activities += row.activities();
            byState.merge(row.state(), row.activities(), Long::sum);
            if (ActivityState.CANCELLED.name().equals(row.state())) {
                return;
            }
            addMoney(planned, row.plannedCurrency(), row.planned());
            addMoney(committed, row.committedCurrency(), row.committed());
            addMoney(spent, row.spentCurrency(), row.spent());
        }

        Cell build(String row, String col) {
            return new Cell(row, col, activities, byState, new Budget(plain(planned), plain(committed), plain(spent)));
        }
    }
}
