package org.convergenceledger.events.activity;

import java.time.LocalDate;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;
import org.convergenceledger.events.common.Money;

/** expectedVersion, when given, makes the command fail on a concurrent change instead of applying to a newer state. */
public record CommitActivity(
        @TargetAggregateIdentifier String activityId,
        @TargetAggregateVersion Long expectedVersion,
        Money committedAmount,
        LocalDate committedOn) {
}
