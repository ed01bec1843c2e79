package org.convergenceledger.events.agency;

public enum AgencyKind {
    MINISTRY,
    PUBLIC_AGENCY,
    SOCIAL_FUND,
    INTERNATIONAL_PARTNER,
    DONOR
}
