package org.convergenceledger.events.activity;

import java.time.LocalDate;
import org.convergenceledger.events.common.Money;

public record ActivityCompleted(String activityId, LocalDate completedOn, Money amountSpent, long beneficiariesReached) implements ActivityEvent {
}
