package org.convergenceledger.events.activity;

import java.util.List;
import org.convergenceledger.events.common.Money;
import org.convergenceledger.events.common.Period;

/** The plan after a revision, whole: every revisable field carries its value after the change. */
public record ActivityRevised(
        String activityId,
        String title,
        String description,
        List<String> axes,
        List<String> regions,
        List<String> targetGroups,
        Period plannedPeriod,
        Money plannedBudget,
        String reason) implements ActivityEvent {
}
