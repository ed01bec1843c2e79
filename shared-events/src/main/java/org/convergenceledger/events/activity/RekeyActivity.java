package org.convergenceledger.events.activity;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

/**
 * Sent by the lead agency: the activity moves to another identifier — a typo fixed, or a transfer to another lead
 * agency (the new identifier's prefix) — for a reason. The old identifier then only points at the new one.
 */
public record RekeyActivity(
        @TargetAggregateIdentifier String activityId,
        @TargetAggregateVersion Long expectedVersion,
        String newActivityId,
        String reason) {
}
