package org.convergenceledger.events.activity;

import org.convergenceledger.events.common.PartnerRole;

/** An agency asked to take part in an activity it does not lead; it joins only when the lead accepts. */
public record PartnershipRequested(String activityId, String agency, PartnerRole role) implements ActivityEvent {
}
