package org.convergenceledger.events.axis;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record DefineAxis(@TargetAggregateIdentifier String axisCode, String title, String description) {
}
