package org.convergenceledger.query.system;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** How far each projection has got in the global order: written with its rows, read with its answers. */
@Component
public class ProjectionPosition {

    public record Position(long globalSequence, Instant eventTime) {
    }

    private final JdbcTemplate jdbc;

    ProjectionPosition(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    // Partitions interleave, so an older sequence can come after a newer one: the position only moves forward.
    public void advance(String projection, LedgerEnvelope envelope) {
        jdbc.update("""
                INSERT INTO projection_position (projection, global_sequence, event_time) VALUES (?, ?, ?)
                ON CONFLICT (projection) DO UPDATE SET
                    event_time = CASE WHEN excluded.global_sequence > projection_position.global_sequence
                                      THEN excluded.event_time ELSE projection_position.event_time END,
                    global_sequence = GREATEST(projection_position.global_sequence, excluded.global_sequence)
                """, projection, envelope.globalSequence(), Sql.timestamptz(envelope.recordedAt()));
    }

    public Optional<Position> of(String projection) {
        List<Position> positions = jdbc.query(
                "SELECT global_sequence, event_time FROM projection_position WHERE projection = ?",
                (rs, row) -> new Position(rs.getLong(1), rs.getTimestamp(2).toInstant()),
                projection);
        return positions.stream().findFirst();
    }

    public Long asOfSequence(String projection) {
        return of(projection).map(Position::globalSequence).orElse(null);
    }
}
