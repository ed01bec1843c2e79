package org.convergenceledger.query.convergence;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.convergenceledger.events.axis.AxisDefined;
import org.convergenceledger.query.system.LedgerEnvelope;
import org.convergenceledger.query.system.Projections;
import org.convergenceledger.query.system.Sql;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The axes the steering committee defined, so the summary can show their titles. */
@Component
@ProcessingGroup(Projections.ACTIVITY_VIEW)
class AxisProjection {

    private final JdbcTemplate jdbc;

    AxisProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(AxisDefined event, EventMessage<?> message) {
        LedgerEnvelope envelope = LedgerEnvelope.of(message);
        // An upsert: a redelivered definition writes the same row again.
        jdbc.update("""
                INSERT INTO axis (code, title, description, defined_at, global_sequence) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (code) DO UPDATE SET title = excluded.title, description = excluded.description,
                    defined_at = excluded.defined_at, global_sequence = excluded.global_sequence
                WHERE axis.global_sequence <= excluded.global_sequence
                """, event.axisCode(), event.title(), event.description(),
                Sql.timestamptz(envelope.recordedAt()), envelope.globalSequence());
    }
}
