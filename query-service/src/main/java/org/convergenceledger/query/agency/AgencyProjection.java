package org.convergenceledger.query.agency;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.convergenceledger.events.agency.AgencyRegistered;
import org.convergenceledger.query.system.LedgerEnvelope;
import org.convergenceledger.query.system.Projections;
import org.convergenceledger.query.system.Sql;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The registered agencies, maintained by the same processor as the activity view they are shown beside. */
@Component
@ProcessingGroup(Projections.ACTIVITY_VIEW)
class AgencyProjection {

    private final JdbcTemplate jdbc;

    AgencyProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(AgencyRegistered event, EventMessage<?> message) {
        LedgerEnvelope envelope = LedgerEnvelope.of(message);
        // An upsert that never lets an older event overwrite a newer one: redelivery changes nothing.
        jdbc.update("""
                INSERT INTO agency (code, name, kind, registered_at, global_sequence) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind,
                    registered_at = excluded.registered_at, global_sequence = excluded.global_sequence
                WHERE agency.global_sequence <= excluded.global_sequence
                """, event.agencyCode(), event.name(), event.kind() == null ? null : event.kind().name(),
                Sql.timestamptz(envelope.recordedAt()), envelope.globalSequence());
    }
}
