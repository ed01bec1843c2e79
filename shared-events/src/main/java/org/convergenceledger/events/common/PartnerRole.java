package org.convergenceledger.events.common;

/** IATI participating-organisation roles, codes 1 to 4. */
public enum PartnerRole {
    FUNDING(1),
    ACCOUNTABLE(2),
    EXTENDING(3),
    IMPLEMENTING(4);

    private final int iatiCode;

    PartnerRole(int iatiCode) {
        this.iatiCode = iatiCode;
    }

    public int iatiCode() {
        return iatiCode;
    }
}
