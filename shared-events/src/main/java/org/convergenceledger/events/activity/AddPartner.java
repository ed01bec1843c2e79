package org.convergenceledger.events.activity;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;
import org.convergenceledger.events.common.PartnerRole;

public record AddPartner(
        @TargetAggregateIdentifier String activityId,
        @TargetAggregateVersion Long expectedVersion,
        String agency,
        PartnerRole role) {
}
