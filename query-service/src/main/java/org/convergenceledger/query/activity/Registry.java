package org.convergenceledger.query.activity;

import java.util.List;
import org.convergenceledger.events.agency.AgencyRegistered;
import org.convergenceledger.events.axis.AxisDefined;
import org.convergenceledger.query.projection.LedgerEnvelope;
import org.convergenceledger.query.projection.TableRows;
import org.springframework.jdbc.core.JdbcTemplate;

/** The registered agencies and axes, kept beside the activities that name them. */
final class Registry {

    static final TableRows.Table AGENCY = new TableRows.Table("agency", "code", "name", "kind", "registered_at",
            "global_sequence");
    static final TableRows.Table AXIS = new TableRows.Table("axis", "code", "title", "description", "defined_at",
            "global_sequence");

    private Registry() {
    }

    static Object[] agency(AgencyRegistered event, LedgerEnvelope envelope) {
        return new Object[] {event.agencyCode(), event.name(), event.kind() == null ? null : event.kind().name(),
                ActivityFold.micros(envelope.recordedAt()).toString(), envelope.globalSequence()};
    }

    static Object[] axis(AxisDefined event, LedgerEnvelope envelope) {
        return new Object[] {event.axisCode(), event.title(), event.description(),
                ActivityFold.micros(envelope.recordedAt()).toString(), envelope.globalSequence()};
    }

    /** Upserts that never let an older event overwrite a newer one: redelivery changes nothing. */
    static void write(JdbcTemplate jdbc, List<Object[]> agencies, List<Object[]> axes) {
        TableRows.insert(jdbc, AGENCY.insert() + """
                 ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind,
                    registered_at = excluded.registered_at, global_sequence = excluded.global_sequence
                WHERE agency.global_sequence <= excluded.global_sequence""", agencies);
        TableRows.insert(jdbc, AXIS.insert() + """
                 ON CONFLICT (code) DO UPDATE SET title = excluded.title, description = excluded.description,
                    defined_at = excluded.defined_at, global_sequence = excluded.global_sequence
                WHERE axis.global_sequence <= excluded.global_sequence""", axes);
    }
}
