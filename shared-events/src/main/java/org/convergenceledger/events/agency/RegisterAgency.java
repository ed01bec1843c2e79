package org.convergenceledger.events.agency;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record RegisterAgency(@TargetAggregateIdentifier String agencyCode, String name, AgencyKind kind) {
}
