package org.convergenceledger.command.system;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.axonframework.eventhandling.EventMessage;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The global index the event store gave each event. Not the tracking token's position: for an event that commits
 * late and fills a gap in the index, the gap-aware token reports the highest index seen so far, not the event's own
 * — two events would then claim one position. One query per processor batch.
 */
@Component
public class GlobalPositions {

    private final JdbcTemplate jdbc;

    GlobalPositions(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** An event's global index and that of the stored event just before it (0 when it is the first). */
    public record Placed(long sequence, long previous) {
    }

    public Map<String, Long> of(List<? extends EventMessage<?>> events) {
        Map<String, Long> positions = new HashMap<>();
        if (events.isEmpty()) {
            return positions;
        }
        String[] ids = ids(events);
        jdbc.query("SELECT eventidentifier, globalindex FROM domainevententry WHERE eventidentifier = ANY (?)",
                statement -> statement.setArray(1, statement.getConnection().createArrayOf("varchar", ids)),
                row -> {
                    positions.put(row.getString(1), row.getLong(2));
                });
        requireAll(ids, positions);
        return positions;
    }

    /**
     * Each event's global index with its predecessor's, so that a consumer reading interleaved partitions can tell
     * when it holds every event up to a point. The predecessor is the next lower index in the store when the event
     * is published: one primary-key probe per event, in the same query.
     */
    public Map<String, Placed> withPredecessors(List<? extends EventMessage<?>> events) {
        Map<String, Placed> placed = new HashMap<>();
        if (events.isEmpty()) {
            return placed;
        }
        String[] ids = ids(events);
        jdbc.query("""
                SELECT d.eventidentifier, d.globalindex,
                       coalesce((SELECT max(p.globalindex) FROM domainevententry p
                                 WHERE p.globalindex < d.globalindex), 0)
                FROM domainevententry d WHERE d.eventidentifier = ANY (?)
                """,
                statement -> statement.setArray(1, statement.getConnection().createArrayOf("varchar", ids)),
                row -> {
                    placed.put(row.getString(1), new Placed(row.getLong(2), row.getLong(3)));
                });
        requireAll(ids, placed);
        return placed;
    }

    private static String[] ids(List<? extends EventMessage<?>> events) {
        return events.stream().map(EventMessage::getIdentifier).toArray(String[]::new);
    }

    private static void requireAll(String[] ids, Map<String, ?> positions) {
        for (String id : ids) {
            if (!positions.containsKey(id)) {
                throw new IllegalStateException("event " + id + " was delivered but is not in the event store");
            }
        }
    }
}
