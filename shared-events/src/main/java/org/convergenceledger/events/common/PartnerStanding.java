package org.convergenceledger.events.common;

/**
 * A partnership as it stands at one moment — what a moved activity carries into its new identifier: the agency,
 * its role, where the partnership stands, and the contestation's or refusal's reason.
 */
public record PartnerStanding(String agency, PartnerRole role, PartnershipStatus status, String reason) {
}
