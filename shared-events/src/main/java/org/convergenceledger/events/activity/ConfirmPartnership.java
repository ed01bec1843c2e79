package org.convergenceledger.events.activity;

import java.util.List;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;
import org.convergenceledger.events.common.PartnerRole;

/**
 * Sent by the agency the lead named as a partner: it agrees. Without roles, every role it was named for and has not
 * confirmed yet; with roles, just those.
 */
public record ConfirmPartnership(
        @TargetAggregateIdentifier String activityId,
        @TargetAggregateVersion Long expectedVersion,
        String agency,
        List<PartnerRole> roles) {
}
