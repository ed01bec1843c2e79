package org.convergenceledger.events.activity;

import java.util.List;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.convergenceledger.events.common.Money;
import org.convergenceledger.events.common.Partner;
import org.convergenceledger.events.common.Period;
import org.convergenceledger.events.common.YearlyAmount;

/** plannedBudgetByYear is optional: without it the budget is split pro rata of the period's days in each year. */
public record ProposeActivity(
        @TargetAggregateIdentifier String activityId,
        String leadAgency,
        String title,
        String description,
        List<String> axes,
        List<String> regions,
        List<String> targetGroups,
        Period plannedPeriod,
        Money plannedBudget,
        List<YearlyAmount> plannedBudgetByYear,
        List<Partner> partners) {

    /** A proposal that leaves the split by year to the ledger. */
    public ProposeActivity(String activityId, String leadAgency, String title, String description, List<String> axes,
                           List<String> regions, List<String> targetGroups, Period plannedPeriod, Money plannedBudget,
                           List<Partner> partners) {
        this(activityId, leadAgency, title, description, axes, regions, targetGroups, plannedPeriod, plannedBudget,
                null, partners);
    }
}
