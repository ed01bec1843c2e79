package org.convergenceledger.events.activity;

import java.util.List;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;
import org.convergenceledger.events.common.Money;
import org.convergenceledger.events.common.Period;

/** Fields left null keep their current value; the resulting event carries the whole revised plan. */
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
        String reason) {
}
