package org.convergenceledger.events.activity;

import java.util.List;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;
import org.convergenceledger.events.common.Money;
import org.convergenceledger.events.common.Period;
import org.convergenceledger.events.common.YearlyAmount;

/**
 * Fields left null keep their current value; the resulting event carries the whole revised plan. Without
 * plannedBudgetByYear the split is kept while period and budget stay exactly as they were, else made pro rata again.
 */
public record ReviseActivity(
        @TargetAggregateIdentifier String activityId,
        @TargetAggregateVersion Long expectedVersion,
        String title,
        String description,
        List<String> axes,
        List<String> regions,
        List<String> targetGroups,
        Period plannedPeriod,
        Money plannedBudget,
        List<YearlyAmount> plannedBudgetByYear,
        String reason) {

    /** A revision that leaves the split by year to the ledger. */
    public ReviseActivity(String activityId, Long expectedVersion, String title, String description,
                          List<String> axes, List<String> regions, List<String> targetGroups, Period plannedPeriod,
                          Money plannedBudget, String reason) {
        this(activityId, expectedVersion, title, description, axes, regions, targetGroups, plannedPeriod,
                plannedBudget, null, reason);
    }
}
