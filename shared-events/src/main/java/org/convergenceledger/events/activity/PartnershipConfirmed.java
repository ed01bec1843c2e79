package org.convergenceledger.events.activity;

import java.util.List;
import org.convergenceledger.events.common.PartnerRole;

/** The named partner agreed, for these roles: from now on the partnership is joint work and its roles count. */
public record PartnershipConfirmed(String activityId, String agency, List<PartnerRole> roles) implements ActivityEvent {

    public PartnershipConfirmed {
        roles = roles == null ? List.of() : List.copyOf(roles);
    }
}
