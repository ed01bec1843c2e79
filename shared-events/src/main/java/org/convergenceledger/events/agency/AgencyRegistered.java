package org.convergenceledger.events.agency;

public record AgencyRegistered(String agencyCode, String name, AgencyKind kind) {
}
