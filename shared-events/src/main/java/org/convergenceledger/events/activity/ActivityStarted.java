package org.convergenceledger.events.activity;

import java.time.LocalDate;

public record ActivityStarted(String activityId, LocalDate startedOn) implements ActivityEvent {
}
