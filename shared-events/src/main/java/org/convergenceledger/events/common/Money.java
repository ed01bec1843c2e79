package org.convergenceledger.events.common;

import java.math.BigDecimal;

/** An amount in an ISO 4217 currency. Amounts of different currencies are never added together. */
public record Money(BigDecimal amount, String currency) {

    public static Money of(String amount, String currency) {
        return new Money(new BigDecimal(amount), currency);
    }

    public boolean sameCurrencyAs(Money other) {
        return currency != null && other != null && currency.equals(other.currency);
    }

    public boolean belowZero() {
        return amount.signum() < 0;
    }
}
