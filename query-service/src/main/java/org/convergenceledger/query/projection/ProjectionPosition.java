package org.convergenceledger.query.projection;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.convergenceledger.query.system.ProjectionDatabase;
import org.convergenceledger.query.system.Sql;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * How far each projection has got in the global order: written with its rows, read with its answers. Two figures:
 * the complete prefix (every event up to it applied, see {@link Watermark}) — what "as of sequence N" means in every
 * answer — and the furthest event applied, which partitions running ahead can put beyond it.
 */
@Component
public class ProjectionPosition {

    /**
     * @param globalSequence   every event up to this one is applied
     * @param furthestSequence the highest sequence applied; above globalSequence while a partition runs ahead
     * @param eventTime        when the furthest applied event was recorded
     */
    public record Position(long globalSequence, long furthestSequence, Instant eventTime) {

        /** True when the projection holds exactly the events up to globalSequence, none beyond. */
        public boolean exact() {
            return furthestSequence == globalSequence;
        }
    }

    private final JdbcTemplate writes;
    private final JdbcTemplate reads;

    ProjectionPosition(ProjectionDatabase projections, JdbcTemplate reads) {
        this.writes = projections.jdbc();
        this.reads = reads;
    }

    /** Moves the projection's position over a batch's events, in the batch's transaction. */
    public void advance(String projection, List<LedgerEnvelope> batch) {
        advance(writes, projection, batch);
    }

    /** The same on another connection: a rebuild's tables, in its own transaction. */
    public static void advance(JdbcTemplate jdbc, String projection, List<LedgerEnvelope> batch) {
        if (batch.isEmpty()) {
            return;
        }
        List<Watermark.Arrival> arrivals = new ArrayList<>(batch.size());
        LedgerEnvelope furthest = batch.get(0);
        for (LedgerEnvelope envelope : batch) {
            arrivals.add(new Watermark.Arrival(envelope.globalSequence(), envelope.previousGlobalSequence()));
            if (envelope.globalSequence() > furthest.globalSequence()) {
                furthest = envelope;
            }
        }
        arrivals.sort(Comparator.comparingLong(Watermark.Arrival::sequence));
        if (!extendsThePrefix(jdbc, projection, arrivals, furthest)) {
            write(jdbc, projection, arrivals, furthest);
        }
    }

    private static void write(JdbcTemplate jdbc, String projection, List<Watermark.Arrival> batch,
                              LedgerEnvelope furthest) {
        jdbc.update("""
                INSERT INTO projection_position (projection, global_sequence, event_time, complete_sequence)
                VALUES (?, ?, ?, 0) ON CONFLICT (projection) DO NOTHING
                """, projection, furthest.globalSequence(), Sql.timestamptz(furthest.recordedAt()));
        // The row lock serialises writers of one projection (several segments), so pending events are read and
        // rewritten by one batch at a time.
        long complete = jdbc.queryForObject(
                "SELECT complete_sequence FROM projection_position WHERE projection = ? FOR UPDATE", Long.class,
                projection);
        List<Watermark.Arrival> arrivals = new ArrayList<>(jdbc.query(
                "SELECT global_sequence, previous_sequence FROM projection_pending WHERE projection = ?",
                (rs, row) -> new Watermark.Arrival(rs.getLong(1), (Long) rs.getObject(2)), projection));
        int pendingBefore = arrivals.size();
        arrivals.addAll(batch);
        Watermark.State state = Watermark.advance(complete, arrivals);
        if (pendingBefore > 0) {
            jdbc.update("DELETE FROM projection_pending WHERE projection = ? AND global_sequence <= ?", projection,
                    state.complete());
        }
        List<Object[]> waiting = state.pending().stream()
                .map(arrival -> new Object[] {projection, arrival.sequence(), arrival.previous()}).toList();
        if (!waiting.isEmpty()) {
            jdbc.batchUpdate("""
                    INSERT INTO projection_pending (projection, global_sequence, previous_sequence) VALUES (?, ?, ?)
                    ON CONFLICT DO NOTHING
                    """, waiting);
        }
        jdbc.update("""
                UPDATE projection_position SET
                    event_time = CASE WHEN ? > global_sequence THEN ? ELSE event_time END,
                    global_sequence = GREATEST(global_sequence, ?),
                    complete_sequence = ?
                WHERE projection = ?
                """, furthest.globalSequence(), Sql.timestamptz(furthest.recordedAt()), furthest.globalSequence(),
                state.complete(), projection);
    }

    /**
     * The common case in one statement: the batch's events follow each other and the first follows the stored
     * prefix, with nothing pending — the prefix simply moves to the batch's last event. Otherwise (partitions
     * interleaved, events pending, no row yet) nothing is changed and the full bookkeeping runs.
     */
    private static boolean extendsThePrefix(JdbcTemplate jdbc, String projection, List<Watermark.Arrival> events,
                                            LedgerEnvelope furthest) {
        for (int i = 1; i < events.size(); i++) {
            Long previous = events.get(i).previous();
            if (previous == null || previous != events.get(i - 1).sequence()) {
                return false;
            }
        }
        Watermark.Arrival first = events.get(0);
        if (first.previous() == null) {
            return false;
        }
        long last = events.get(events.size() - 1).sequence();
        return jdbc.update("""
                UPDATE projection_position SET
                    event_time = CASE WHEN ? > global_sequence THEN ? ELSE event_time END,
                    global_sequence = GREATEST(global_sequence, ?),
                    complete_sequence = ?
                WHERE projection = ? AND complete_sequence = ?
                  AND NOT EXISTS (SELECT 1 FROM projection_pending WHERE projection = ?)
                """, furthest.globalSequence(), Sql.timestamptz(furthest.recordedAt()), furthest.globalSequence(),
                last, projection, first.previous(), projection) == 1;
    }

    public Optional<Position> of(String projection) {
        return of(reads, projection);
    }

    /** The position as another connection sees it (inside its own snapshot). */
    public static Optional<Position> of(JdbcTemplate jdbc, String projection) {
        return jdbc.query(
                "SELECT complete_sequence, global_sequence, event_time FROM projection_position WHERE projection = ?",
                (rs, row) -> new Position(rs.getLong(1), rs.getLong(2), rs.getTimestamp(3).toInstant()),
                projection).stream().findFirst();
    }

    /** Every event up to the returned sequence is reflected in the projection; null before the first event. */
    public Long asOfSequence(String projection) {
        return of(projection).map(Position::globalSequence).orElse(null);
    }
}
