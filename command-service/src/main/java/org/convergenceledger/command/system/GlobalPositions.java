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

    public Map<String, Long> of(List<? extends EventMessage<?>> events) {
        Map<String, Long> positions = new HashMap<>();
        if (events.isEmpty()) {
            return positions;
        }
        String[] ids = events.stream().map(EventMessage::getIdentifier).toArray(String[]::new);
        jdbc.query("SELECT eventidentifier, globalindex FROM domainevententry WHERE eventidentifier = ANY (?)",
                statement -> statement.setArray(1, statement.getConnection().createArrayOf("varchar", ids)),
                row -> {
                    positions.put(row.getString(1), row.getLong(2));
                });
        for (String id : ids) {
            if (!positions.containsKey(id)) {
                throw new IllegalStateException("event " + id + " was delivered but is not in the event store");
            }
        }
        return positions;
    }
}
