package org.convergenceledger.events.activity;

import java.time.LocalDate;

public record ActivityResumed(String activityId, LocalDate resumedOn) implements ActivityEvent {
}
