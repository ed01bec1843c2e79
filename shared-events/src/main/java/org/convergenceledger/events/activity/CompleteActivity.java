package org.convergenceledger.events.activity;

import java.time.LocalDate;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;
import org.convergenceledger.events.common.Money;

public record CompleteActivity(
        @TargetAggregateIdentifier String activityId,
        @TargetAggregateVersion Long expectedVersion,
        LocalDate completedOn,
        Money amountSpent,
        long beneficiariesReached) {
}
