package org.convergenceledger.events.common;

import java.time.LocalDate;

/** A closed range of ISO dates, both ends included. */
public record Period(LocalDate start, LocalDate end) {

    public boolean endsBeforeItStarts() {
        return end.isBefore(start);
    }
}
