package org.convergenceledger.events.activity;

import org.convergenceledger.events.common.PartnerRole;

public record PartnerJoined(String activityId, String agency, PartnerRole role) implements ActivityEvent {
}
