package org.convergenceledger.events.activity;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;
import org.convergenceledger.events.common.PartnerRole;

/** Sent by the agency that wants to join; the agency is the sender's own. */
public record RequestPartnership(
        @TargetAggregateIdentifier String activityId,
        @TargetAggregateVersion Long expectedVersion,
        String agency,
        PartnerRole role) {
}
