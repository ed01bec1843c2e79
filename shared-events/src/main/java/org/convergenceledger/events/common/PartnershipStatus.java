package org.convergenceledger.events.common;

/**
 * Where a partnership stands between the two agencies it binds. The lead naming a partner only claims it; the
 * named agency's confirmation makes it joint work (and gives it its role's rights), its contestation puts the claim
 * on record as disputed. An agency's own request waits for the lead, who accepts it (confirmed at once: both sides
 * have spoken) or declines it.
 */
public enum PartnershipStatus {
    /** Asked for by the partner, not yet answered by the lead. */
    REQUESTED,
    /** Named by the lead, not yet answered by the partner. */
    CLAIMED,
    /** Both sides agree. */
    CONFIRMED,
    /** Named by the lead, disputed by the partner. */
    CONTESTED,
    /** Asked for by the partner, refused by the lead. */
    DECLINED;

    /** A partnership the lead has named (whatever the partner says of it), as opposed to a request. */
    public boolean named() {
        return this == CLAIMED || this == CONFIRMED || this == CONTESTED;
    }
}
