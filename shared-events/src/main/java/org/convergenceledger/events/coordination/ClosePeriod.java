package org.convergenceledger.events.coordination;

import java.time.LocalDate;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Sent by a coordinator: the reporting period from..to (both included) is closed, for one agency or (agency null)
 * for all. From then on a fact dated inside it is recorded only as a correction, with its reason.
 */
public record ClosePeriod(String agency, LocalDate from, LocalDate to, String reason) {

    /** All agencies' periods and each agency's are apart: period:ALL:… and period:ANAPEC:…. */
    public static String periodIdOf(String agency, LocalDate from, LocalDate to) {
        return "period:" + (agency == null ? "ALL" : agency) + ":" + from + ".." + to;
    }

    @TargetAggregateIdentifier
    public String periodId() {
        return periodIdOf(agency, from, to);
    }
}
