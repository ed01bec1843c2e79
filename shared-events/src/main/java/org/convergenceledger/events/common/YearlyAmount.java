package org.convergenceledger.events.common;

import java.math.BigDecimal;

/** The part of a planned budget for one calendar year, in the budget's currency. */
public record YearlyAmount(int year, BigDecimal amount) {
}
