package org.convergenceledger.events.activity;

import java.time.LocalDate;

public record ActivityCancelled(String activityId, LocalDate cancelledOn, String reason) implements ActivityEvent {
}
