package org.convergenceledger.events.activity;

import java.time.LocalDate;

public record ActivitySuspended(String activityId, LocalDate suspendedOn, String reason) implements ActivityEvent {
}
