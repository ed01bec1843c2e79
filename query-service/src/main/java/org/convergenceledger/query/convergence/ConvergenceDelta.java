package org.convergenceledger.query.convergence;

import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;
import org.convergenceledger.events.common.Money;

/**
 * The change one event makes to the per-axis summary: the activity's new contribution minus its old one.
 * Only the axes, states, agencies and currencies the activity touches appear, and nothing that nets to zero.
 */
record ConvergenceDelta(
        Map<AxisKey, Long> byState,
        Map<AxisKey, Long> byAgency,
        Map<BudgetKey, BigDecimal> budget) {

    // A count or amount under one axis: the key is a state name or an agency code.
    record AxisKey(String axis, String key) implements Comparable<AxisKey> {
        @Override
        public int compareTo(AxisKey other) {
            int byAxis = axis.compareTo(other.axis);
            return byAxis != 0 ? byAxis : key.compareTo(other.key);
        }
    }

    // Currencies are kept apart: MAD and EUR are never added together.
    record BudgetKey(String axis, BudgetMeasure measure, String currency) implements Comparable<BudgetKey> {
        @Override
        public int compareTo(BudgetKey other) {
            int byAxis = axis.compareTo(other.axis);
            if (byAxis != 0) {
                return byAxis;
            }
            int byMeasure = measure.compareTo(other.measure);
            return byMeasure != 0 ? byMeasure : currency.compareTo(other.currency);
        }
    }

    static ConvergenceDelta between(Contribution before, Contribution after) {
        // Sorted keys: concurrent writers (several segments) then lock summary rows in the same order.
        Map<AxisKey, Long> byState = new TreeMap<>();
        Map<AxisKey, Long> byAgency = new TreeMap<>();
        Map<BudgetKey, BigDecimal> budget = new TreeMap<>();
        add(before, -1, byState, byAgency, budget);
        add(after, +1, byState, byAgency, budget);
        byState.values().removeIf(count -> count == 0);
        byAgency.values().removeIf(count -> count == 0);
        budget.values().removeIf(amount -> amount.signum() == 0);
        return new ConvergenceDelta(byState, byAgency, budget);
    }

    boolean isEmpty() {
        return byState.isEmpty() && byAgency.isEmpty() && budget.isEmpty();
    }

    /**
     * The deltas of several events added up, e.g. one processor batch. A key that some event touched stays even
     * when the sum nets to zero: written one event at a time it would have created its row (at 0), so the summed
     * write must create it too, or the tables would depend on where batches happen to end.
     */
    static final class Sum {
        // Sorted keys, as in one event's delta: concurrent writers then lock summary rows in the same order.
        private final Map<AxisKey, Long> byState = new TreeMap<>();
        private final Map<AxisKey, Long> byAgency = new TreeMap<>();
        private final Map<BudgetKey, BigDecimal> budget = new TreeMap<>();

        void add(ConvergenceDelta delta) {
            delta.byState().forEach((key, count) -> byState.merge(key, count, Long::sum));
            delta.byAgency().forEach((key, count) -> byAgency.merge(key, count, Long::sum));
            delta.budget().forEach((key, amount) -> budget.merge(key, amount, BigDecimal::add));
        }

        ConvergenceDelta total() {
            return new ConvergenceDelta(byState, byAgency, budget);
        }
    }

    private static void add(Contribution contribution, int sign, Map<AxisKey, Long> byState,
                            Map<AxisKey, Long> byAgency, Map<BudgetKey, BigDecimal> budget) {
        for (String axis : contribution.axes()) {
            if (contribution.state() != null) {
                byState.merge(new AxisKey(axis, contribution.state().name()), (long) sign, Long::sum);
            }
            if (contribution.leadAgency() != null) {
                byAgency.merge(new AxisKey(axis, contribution.leadAgency()), (long) sign, Long::sum);
            }
            addMoney(budget, axis, BudgetMeasure.PLANNED, contribution.planned(), sign);
            addMoney(budget, axis, BudgetMeasure.COMMITTED, contribution.committed(), sign);
            addMoney(budget, axis, BudgetMeasure.SPENT, contribution.spent(), sign);
        }
    }

    private static void addMoney(Map<BudgetKey, BigDecimal> budget, String axis, BudgetMeasure measure,
                                 Money money, int sign) {
        if (money == null || money.amount() == null || money.currency() == null) {
            return;
        }
        BigDecimal signed = sign < 0 ? money.amount().negate() : money.amount();
        budget.merge(new BudgetKey(axis, measure, money.currency()), signed, BigDecimal::add);
    }
}
