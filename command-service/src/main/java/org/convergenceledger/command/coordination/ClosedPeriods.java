package org.convergenceledger.command.coordination;

import java.time.LocalDate;
import java.util.Optional;
import org.convergenceledger.events.coordination.PeriodClosed;

/** The reporting periods closed so far: what a fact's date is checked against. */
@FunctionalInterface
public interface ClosedPeriods {

    /** A closed period of that agency (or of all) that the date lies in, if any. */
    Optional<PeriodClosed> covering(String leadAgency, LocalDate dated);
}
