package org.convergenceledger.events.axis;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record DefineAxis(String axisCode, String title, String description) {

    /** Agencies, axes and activities share one event store: the prefix keeps their identifiers apart. */
    public static String aggregateIdOf(String axisCode) {
        return "axis:" + axisCode;
    }

    @TargetAggregateIdentifier
    public String aggregateId() {
        return aggregateIdOf(axisCode);
    }
}
