package org.convergenceledger.events.activity;

import java.util.List;
import org.axonframework.serialization.Revision;
import org.convergenceledger.events.common.Money;
import org.convergenceledger.events.common.Partner;
import org.convergenceledger.events.common.Period;
import org.convergenceledger.events.common.YearlyAmount;

/**
 * Revision 2 carries the planned budget split by calendar year (summing to plannedBudget); events stored before
 * (no revision) are read through the upcasting.PlannedBudgetByYear upcaster, which adds the pro-rata split.
 */
@Revision("2")
public record ActivityProposed(
        String activityId,
        String leadAgency,
        String title,
        String description,
        List<String> axes,
        List<String> regions,
        List<String> targetGroups,
        Period plannedPeriod,
        Money plannedBudget,
        List<YearlyAmount> plannedBudgetByYear,
        List<Partner> partners) implements ActivityEvent {
}
