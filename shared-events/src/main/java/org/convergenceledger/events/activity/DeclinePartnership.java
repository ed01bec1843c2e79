package org.convergenceledger.events.activity;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;
import org.convergenceledger.events.common.PartnerRole;

/** Sent by the lead agency: the pending request of that agency for that role is refused, for a reason. */
public record DeclinePartnership(
        @TargetAggregateIdentifier String activityId,
        @TargetAggregateVersion Long expectedVersion,
        String agency,
        PartnerRole role,
        String reason) {
}
