package org.convergenceledger.events.activity;

import java.util.List;
import org.convergenceledger.events.common.PartnerRole;

/** The named partner says it does not take part in these roles, and why; the claim stays on record as disputed. */
public record PartnershipContested(String activityId, String agency, List<PartnerRole> roles, String reason)
        implements ActivityEvent {

    public PartnershipContested {
        roles = roles == null ? List.of() : List.copyOf(roles);
    }
}
