package org.convergenceledger.events.coordination;

import java.time.LocalDate;

/** A reporting period closed, for one agency or (agency null) for all: its facts change only by correction. */
public record PeriodClosed(String periodId, String agency, LocalDate from, LocalDate to, String reason) {

    /** Whether a fact of that agency's activity, dated so, lies inside this period. */
    public boolean covers(String leadAgency, LocalDate dated) {
        return (agency == null || agency.equals(leadAgency)) && dated != null && !dated.isBefore(from)
                && !dated.isAfter(to);
    }
}
