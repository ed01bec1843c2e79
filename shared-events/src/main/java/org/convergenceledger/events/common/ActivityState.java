package org.convergenceledger.events.common;

/** Lifecycle states of an activity, with the IATI activity-status code each maps onto. */
public enum ActivityState {
    PROPOSED(1),
    COMMITTED(1),
    STARTED(2),
    SUSPENDED(6),
    COMPLETED(3),
    CANCELLED(5);

    private final int iatiStatus;

    ActivityState(int iatiStatus) {
        this.iatiStatus = iatiStatus;
    }

    public int iatiStatus() {
        return iatiStatus;
    }

    public boolean isClosed() {
        return this == COMPLETED || this == CANCELLED;
    }
}
