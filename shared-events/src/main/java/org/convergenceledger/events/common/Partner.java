package org.convergenceledger.events.common;

/** An agency taking part in an activity it does not lead, in one role. */
public record Partner(String agency, PartnerRole role) {
}
