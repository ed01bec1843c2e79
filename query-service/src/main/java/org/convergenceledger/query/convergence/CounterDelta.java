package org.convergenceledger.query.convergence;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.convergenceledger.events.common.ActivityState;
import org.convergenceledger.events.common.Money;

/**
 * What a batch changes in the live counters: each changed activity's contribution before the batch taken out, its
 * contribution after put in. Written in key order, so that concurrent writers lock counter rows in the same order.
 */
final class CounterDelta {

    /** One matrix cell of one pair of dimensions, split by state and by the currencies of its money. */
    record CellKey(String dims, String row, String col, String state, String plannedCurrency,
                   String committedCurrency, String spentCurrency) {
    }

    /** Progress of one axis or one lead agency. */
    record ProgressKey(String dimension, String key) {
    }

    /** Budget execution of one axis or lead agency in one currency. */
    record ExecutionKey(String dimension, String key, String currency) {
    }

    static final class CellSum {
        long activities;
        BigDecimal planned = BigDecimal.ZERO;
        BigDecimal committed = BigDecimal.ZERO;
        BigDecimal spent = BigDecimal.ZERO;
    }

    static final class ProgressSum {
        long activities;
        long committed;
        long started;
        long completed;
        long suspended;
        long cancelled;
        long beneficiaries;
    }

    static final class ExecutionSum {
        long activities;
        BigDecimal committed = BigDecimal.ZERO;
        BigDecimal spent = BigDecimal.ZERO;
        BigDecimal committedOfCompleted = BigDecimal.ZERO;
    }

    private static final Comparator<CellKey> CELL_ORDER = Comparator.comparing(CellKey::dims)
            .thenComparing(CellKey::row).thenComparing(CellKey::col).thenComparing(CellKey::state)
            .thenComparing(CellKey::plannedCurrency).thenComparing(CellKey::committedCurrency)
            .thenComparing(CellKey::spentCurrency);
    private static final Comparator<ProgressKey> PROGRESS_ORDER = Comparator.comparing(ProgressKey::dimension)
            .thenComparing(ProgressKey::key);
    private static final Comparator<ExecutionKey> EXECUTION_ORDER = Comparator.comparing(ExecutionKey::dimension)
            .thenComparing(ExecutionKey::key).thenComparing(ExecutionKey::currency);

    final Map<CellKey, CellSum> cells = new HashMap<>();
    final Map<ProgressKey, ProgressSum> progress = new HashMap<>();
    final Map<ExecutionKey, ExecutionSum> execution = new HashMap<>();

    /** The summed cells in key order, the order concurrent writers must lock counter rows in. */
    List<Map.Entry<CellKey, CellSum>> sortedCells() {
        return sorted(cells, CELL_ORDER);
    }

    List<Map.Entry<ProgressKey, ProgressSum>> sortedProgress() {
        return sorted(progress, PROGRESS_ORDER);
    }

    List<Map.Entry<ExecutionKey, ExecutionSum>> sortedExecution() {
        return sorted(execution, EXECUTION_ORDER);
    }

    private static <K, V> List<Map.Entry<K, V>> sorted(Map<K, V> sums, Comparator<K> order) {
        List<Map.Entry<K, V>> entries = new ArrayList<>(sums.entrySet());
        entries.sort(Map.Entry.comparingByKey(order));
        return entries;
    }

    /** Takes an activity's old contribution out and puts its new one in; either may be null. */
    void replace(Contribution before, Contribution after) {
        if (before != null) {
            add(before, -1);
        }
        if (after != null) {
            add(after, +1);
        }
    }

    boolean isEmpty() {
        return cells.isEmpty() && progress.isEmpty() && execution.isEmpty();
    }

    private static final List<Dimension[]> PAIRS = Dimension.pairs();
    private static final List<String> PAIR_NAMES = PAIRS.stream()
            .map(pair -> Dimension.pairName(pair[0], pair[1])).toList();

    void add(Contribution contribution, int sign) {
        String state = contribution.state().name();
        String plannedCurrency = currency(contribution.planned());
        String committedCurrency = currency(contribution.committed());
        String spentCurrency = currency(contribution.spent());
        BigDecimal planned = signed(contribution.planned(), sign);
        BigDecimal committed = signed(contribution.committed(), sign);
        BigDecimal spent = signed(contribution.spent(), sign);
        for (int p = 0; p < PAIRS.size(); p++) {
            Dimension[] pair = PAIRS.get(p);
            String dims = PAIR_NAMES.get(p);
            for (String row : pair[0].of(contribution)) {
                for (String col : pair[1].of(contribution)) {
                    CellSum sum = cells.computeIfAbsent(new CellKey(dims, row, col, state, plannedCurrency,
                            committedCurrency, spentCurrency), key -> new CellSum());
                    sum.activities += sign;
                    if (planned.signum() != 0) {
                        sum.planned = sum.planned.add(planned);
                    }
                    if (committed.signum() != 0) {
                        sum.committed = sum.committed.add(committed);
                    }
                    if (spent.signum() != 0) {
                        sum.spent = sum.spent.add(spent);
                    }
                }
            }
        }
        addProgress("axis", contribution.axes(), contribution, sign);
        addProgress("agency", List.of(contribution.leadAgency()), contribution, sign);
    }

    private void addProgress(String dimension, List<String> keys, Contribution contribution, int sign) {
        for (String key : keys) {
            ProgressSum sum = progress.computeIfAbsent(new ProgressKey(dimension, key), k -> new ProgressSum());
            sum.activities += sign;
            sum.committed += contribution.committedOn() != null ? sign : 0;
            sum.started += contribution.startedOn() != null ? sign : 0;
            sum.completed += contribution.completedOn() != null ? sign : 0;
            sum.suspended += contribution.state() == ActivityState.SUSPENDED ? sign : 0;
            sum.cancelled += contribution.state() == ActivityState.CANCELLED ? sign : 0;
            sum.beneficiaries += contribution.beneficiaries() == null ? 0 : sign * contribution.beneficiaries();
            Money committed = contribution.committed();
            // Execution counts what was committed and not cancelled, per committed currency; spending counts only
            // in that currency, and completed activities are the only ones that report it.
            if (committed != null && committed.currency() != null && contribution.state() != ActivityState.CANCELLED) {
                ExecutionSum execution = this.execution.computeIfAbsent(
                        new ExecutionKey(dimension, key, committed.currency()), k -> new ExecutionSum());
                execution.activities += sign;
                execution.committed = execution.committed.add(signed(committed, sign));
                if (committed.sameCurrencyAs(contribution.spent())) {
                    execution.spent = execution.spent.add(signed(contribution.spent(), sign));
                }
                if (contribution.completedOn() != null) {
                    execution.committedOfCompleted = execution.committedOfCompleted.add(signed(committed, sign));
                }
            }
        }
    }

    /** Counter rows key a missing currency as '' (a primary key column cannot be null). */
    static String currency(Money money) {
        return money == null || money.currency() == null ? "" : money.currency();
    }

    private static BigDecimal signed(Money money, int sign) {
        if (money == null || money.amount() == null) {
            return BigDecimal.ZERO;
        }
        return sign < 0 ? money.amount().negate() : money.amount();
    }
}
