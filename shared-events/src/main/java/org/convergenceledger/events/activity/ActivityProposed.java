package org.convergenceledger.events.activity;

import java.util.List;
import org.convergenceledger.events.common.Money;
import org.convergenceledger.events.common.Partner;
import org.convergenceledger.events.common.Period;

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
        List<Partner> partners) implements ActivityEvent {
}
