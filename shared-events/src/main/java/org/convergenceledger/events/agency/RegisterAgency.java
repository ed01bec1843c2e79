package org.convergenceledger.events.agency;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record RegisterAgency(String agencyCode, String name, AgencyKind kind) {

    /** Agencies, axes and activities share one event store: the prefix keeps their identifiers apart. */
    public static String aggregateIdOf(String agencyCode) {
        return "agency:" + agencyCode;
    }

    @TargetAggregateIdentifier
    public String aggregateId() {
        return aggregateIdOf(agencyCode);
    }
}
