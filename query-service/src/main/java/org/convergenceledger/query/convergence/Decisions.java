package org.convergenceledger.query.convergence;

import java.util.List;
import org.convergenceledger.events.coordination.DuplicationDecided;
import org.convergenceledger.query.projection.LedgerEnvelope;
import org.convergenceledger.query.projection.TableRows;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The coordinators' decisions on pairs, as rows: one per decision, never updated. Whether the latest still holds is
 * a question of the moment asked about (the activities may have changed since), so the reads answer it.
 */
public final class Decisions {

    public static final TableRows.Table DECISION = new TableRows.Table("duplication_decision", "pair_id", "version",
            "activity_a", "activity_b", "decision", "continuing", "reason", "decided_by", "decided_at",
            "global_sequence");

    private Decisions() {
    }

    public static Object[] row(DuplicationDecided event, LedgerEnvelope envelope) {
        return new Object[] {event.pairId(), envelope.aggregateSequence(), event.first(), event.second(),
                event.decision().name(), event.continuing(), event.reason(), envelope.recordedBy(),
                envelope.recordedAt().truncatedTo(java.time.temporal.ChronoUnit.MICROS).toString(),
                envelope.globalSequence()};
    }

    /** A decision delivered again is the same row: kept once. */
    public static void write(JdbcTemplate jdbc, List<Object[]> decisions) {
        TableRows.insert(jdbc, DECISION.insert() + " ON CONFLICT (pair_id, version) DO NOTHING", decisions);
    }
}
