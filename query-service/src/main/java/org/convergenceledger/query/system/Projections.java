package org.convergenceledger.query.system;

import java.util.List;

/** The processing groups of the query side; each is one tracking processor on the Kafka topic. */
public final class Projections {

    public static final String ACTIVITY_VIEW = "activity-view";
    public static final String AUDIT_HISTORY = "audit-history";
    public static final List<String> ALL = List.of(ACTIVITY_VIEW, AUDIT_HISTORY);

    private Projections() {
    }
}
