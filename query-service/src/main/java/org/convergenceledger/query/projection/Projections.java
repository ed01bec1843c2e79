package org.convergenceledger.query.projection;

import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/** The read models of the query side; each is one tracking processor on the Kafka topic. */
public final class Projections {

    public static final String ACTIVITY_VIEW = "activity-view";
    public static final String AUDIT_HISTORY = "audit-history";
    public static final List<String> ALL = List.of(ACTIVITY_VIEW, AUDIT_HISTORY);

    /**
     * Every table the activity-view read model writes: what a rebuild builds afresh and swaps in, what its digest
     * fingerprints. The partitions of activity_version are listed after it: they move with it, table by table.
     */
    public static final List<String> ACTIVITY_VIEW_TABLES = List.of("activity_view", "activity_partner",
            "activity_version", "activity_segment", "activity_scope", "convergence_pair", "convergence_cell",
            "convergence_progress", "convergence_execution", "agency", "axis",
            "duplication_decision");

    /** Tables that are partitions of one of the above, with their parent. */
    public static final List<String[]> ACTIVITY_VIEW_PARTITIONS = List.of(
            new String[] {"activity_version_current", "activity_version"},
            new String[] {"activity_version_closed", "activity_version"});

    private Projections() {
    }

    /** Empties a read model's tables and forgets its position: a replay then starts from nothing. */
    public static void empty(JdbcTemplate jdbc, String projection) {
        if (!ACTIVITY_VIEW.equals(projection)) {
            throw new IllegalArgumentException("no table list for " + projection);
        }
        jdbc.execute("TRUNCATE " + String.join(", ", ACTIVITY_VIEW_TABLES));
        jdbc.update("DELETE FROM projection_position WHERE projection = ?", projection);
        jdbc.update("DELETE FROM projection_pending WHERE projection = ?", projection);
    }
}
