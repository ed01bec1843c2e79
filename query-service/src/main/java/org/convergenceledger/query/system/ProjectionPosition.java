package org.convergenceledger.query.system;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** How far each projection has got in the global order: written with its rows, read with its answers. */
@Component
public class ProjectionPosition {

    public record Position(long globalSequence, Instant eventTime) {
    }

    private static final String FURTHEST = ProjectionPosition.class.getName() + ".furthest";

    private final JdbcTemplate jdbc;

    ProjectionPosition(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    // Partitions interleave, so an older sequence can come after a newer one: the position only moves forward.
    public void advance(String projection, LedgerEnvelope envelope) {
        if (!CurrentUnitOfWork.isStarted()) {
            write(projection, new Position(envelope.globalSequence(), envelope.recordedAt()));
            return;
        }
        // One upsert per processor batch, just before its commit, instead of one per event: a round trip less per event.
        UnitOfWork<?> batch = CurrentUnitOfWork.get().root();
        Map<String, Position> furthest = batch.getOrComputeResource(FURTHEST, key -> {
            Map<String, Position> positions = new HashMap<>();
            batch.onPrepareCommit(committing -> positions.forEach(this::write));
            return positions;
        });
        furthest.merge(projection, new Position(envelope.globalSequence(), envelope.recordedAt()),
                (held, next) -> next.globalSequence() > held.globalSequence() ? next : held);
    }

    private void write(String projection, Position position) {
        jdbc.update("""
                INSERT INTO projection_position (projection, global_sequence, event_time) VALUES (?, ?, ?)
                ON CONFLICT (projection) DO UPDATE SET
                    event_time = CASE WHEN excluded.global_sequence > projection_position.global_sequence
                                      THEN excluded.event_time ELSE projection_position.event_time END,
                    global_sequence = GREATEST(projection_position.global_sequence, excluded.global_sequence)
                """, projection, position.globalSequence(), Sql.timestamptz(position.eventTime()));
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
