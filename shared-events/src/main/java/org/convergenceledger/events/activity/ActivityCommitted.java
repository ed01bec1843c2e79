package org.convergenceledger.events.activity;

import java.time.LocalDate;
import org.convergenceledger.events.common.Money;

public record ActivityCommitted(String activityId, Money committedAmount, LocalDate committedOn) implements ActivityEvent {
}
