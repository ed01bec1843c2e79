package org.convergenceledger.query.projection;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A read model that can be built from scratch straight from the event store, besides being kept live batch by batch:
 * what a rebuild, an auditor's replay and the replay command need of it. Both ways write the tables the connection's
 * search path finds first, so the same code fills the live schema, a staging schema or session-private copies.
 */
public interface ReadModel {

    /**
     * How many events a build folded, the last one's global sequence and recording time, the rows per table, and
     * where its time went (milliseconds per phase).
     */
    record Built(long events, long lastSequence, Instant lastRecordedAt, Map<String, Long> rows,
                 Map<String, Long> millis) {
    }

    /** The processing group's name. */
    String name();

    /** Its tables, parents before their partitions. */
    List<String> tables();

    /**
     * Builds every table from the selected events, into empty tables: as they stand after all of them, or for a
     * non-live limit as the view stood at that moment (what was recorded by knownAt and had happened by validAt).
     */
    Built build(BulkTarget target, EventStore store, EventStore.Selection selection, Moment limit)
            throws SQLException;

    /** Applies one batch with the live code, on the given connection's tables, telling no one. */
    void apply(JdbcTemplate jdbc, List<Recorded> batch);

    /** Told after a rebuild swapped new tables in: whatever the projection keeps in memory of the old ones is stale. */
    default void replaced() {
    }
}
