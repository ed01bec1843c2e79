package org.convergenceledger.command.iati;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import org.convergenceledger.events.activity.ActivityProposed;
import org.convergenceledger.events.activity.ActivityRevised;
import org.convergenceledger.events.activity.ProposeActivity;
import org.convergenceledger.events.common.Money;
import org.convergenceledger.events.common.Period;

/**
 * An activity's plan as an import compares it: what a proposal sets and a revision changes. Lists compare as sets
 * and amounts by value, so a file that orders axes differently or writes 1000.00 for 1000 changes nothing.
 */
record ImportedPlan(String title, String description, List<String> axes, List<String> regions,
                    List<String> targetGroups, Period period, Money budget) {

    static ImportedPlan of(ProposeActivity proposal) {
        return new ImportedPlan(proposal.title(), proposal.description(), proposal.axes(), proposal.regions(),
                proposal.targetGroups(), proposal.plannedPeriod(), proposal.plannedBudget());
    }

    static ImportedPlan of(ActivityProposed proposed) {
        return new ImportedPlan(proposed.title(), proposed.description(), proposed.axes(), proposed.regions(),
                proposed.targetGroups(), proposed.plannedPeriod(), proposed.plannedBudget());
    }

    static ImportedPlan of(ActivityRevised revised) {
        return new ImportedPlan(revised.title(), revised.description(), revised.axes(), revised.regions(),
                revised.targetGroups(), revised.plannedPeriod(), revised.plannedBudget());
    }

    /** This plan from a file against the ledger's: a description the file leaves out keeps the ledger's. */
    boolean changes(ImportedPlan current) {
        return !(Objects.equals(title, current.title)
                && (description == null || description.equals(current.description))
                && sameSet(axes, current.axes) && sameSet(regions, current.regions)
                && sameSet(targetGroups, current.targetGroups) && Objects.equals(period, current.period)
                && sameMoney(budget, current.budget));
    }

    private static boolean sameSet(List<String> one, List<String> other) {
        return one == null ? other == null : other != null && new HashSet<>(one).equals(new HashSet<>(other));
    }

    private static boolean sameMoney(Money one, Money other) {
        if (one == null || other == null) {
            return one == other;
        }
        return Objects.equals(one.currency(), other.currency()) && one.amount() != null && other.amount() != null
                && one.amount().compareTo(other.amount()) == 0;
    }
}
