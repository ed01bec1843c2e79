package org.convergenceledger.events.activity;

import java.util.List;
import org.axonframework.serialization.Revision;
import org.convergenceledger.events.common.Money;
import org.convergenceledger.events.common.Period;
import org.convergenceledger.events.common.YearlyAmount;

/**
 * The plan after a revision, whole: every revisable field carries its value after the change. Revision 2 adds the
 * budget's split by year, as ActivityProposed.
 */
@Revision("2")
public record ActivityRevised(
        String activityId,
        String title,
        String description,
        List<String> axes,
        List<String> regions,
        List<String> targetGroups,
        Period plannedPeriod,
        Money plannedBudget,
        List<YearlyAmount> plannedBudgetByYear,
        String reason) implements ActivityEvent {
}
