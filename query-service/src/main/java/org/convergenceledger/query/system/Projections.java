package org.convergenceledger.query.system;

import java.util.List;

/** The processing groups of the query side; each is one tracking processor on the Kafka topic. */
public final class Projections {

    public static final String ACTIVITY_VIEW = "activity-view";
    public static final String AUDIT_HISTORY = "audit-history";
    public static final List<String> ALL = List.of(ACTIVITY_VIEW, AUDIT_HISTORY);

    /** Every table the activity-view processor writes: what a replay of it empties first. */
    public static final List<String> ACTIVITY_VIEW_TABLES = List.of("activity_partner", "activity_scope",
            "convergence_pair", "activity_view", "agency", "axis", "convergence_state_count",
            "convergence_agency_count", "convergence_budget");

    private Projections() {
    }
}
