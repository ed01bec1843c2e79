package org.convergenceledger.events.activity;

import org.convergenceledger.events.common.PartnerRole;

/** The lead refused an agency's request to take part in that role, and said why; the agency may ask again. */
public record PartnershipDeclined(String activityId, String agency, PartnerRole role, String reason)
        implements ActivityEvent {
}
