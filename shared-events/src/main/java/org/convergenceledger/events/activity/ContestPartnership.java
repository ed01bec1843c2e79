package org.convergenceledger.events.activity;

import java.util.List;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;
import org.convergenceledger.events.common.PartnerRole;

/**
 * Sent by the agency the lead named as a partner: it does not take part, for a reason. Without roles, every role it
 * was named for and has not answered yet; with roles, just those.
 */
public record ContestPartnership(
        @TargetAggregateIdentifier String activityId,
        @TargetAggregateVersion Long expectedVersion,
        String agency,
        List<PartnerRole> roles,
        String reason) {
}
