package org.convergenceledger.query.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Types;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.convergenceledger.events.activity.ActivityEvent;
import org.convergenceledger.query.system.LedgerEnvelope;
import org.convergenceledger.query.system.ProjectionPosition;
import org.convergenceledger.query.system.Projections;
import org.convergenceledger.query.system.Sql;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/** Every activity event, as recorded, with who and when: one row per global sequence, however often delivered. */
@Component
@ProcessingGroup(Projections.AUDIT_HISTORY)
class AuditHistoryProjection {

    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper objectMapper;
    private final ProjectionPosition position;

    AuditHistoryProjection(NamedParameterJdbcTemplate jdbc, ObjectMapper objectMapper, ProjectionPosition position) {
        this.jdbc = jdbc;
        this.objectMapper = objectMapper;
        this.position = position;
    }

    @EventHandler
    void on(ActivityEvent event, EventMessage<?> message) throws JsonProcessingException {
        LedgerEnvelope envelope = LedgerEnvelope.of(message);
        jdbc.update("""
                INSERT INTO activity_event (global_sequence, event_id, activity_id, aggregate_sequence, event_type,
                    payload, recorded_by, occurred_at, recorded_at, idempotency_key)
                VALUES (:globalSequence, :eventId, :activityId, :aggregateSequence, :eventType,
                    CAST(:payload AS jsonb), :recordedBy, :occurredAt, :recordedAt, :idempotencyKey)
                ON CONFLICT DO NOTHING
                """, new MapSqlParameterSource()
                .addValue("globalSequence", envelope.globalSequence())
                .addValue("eventId", envelope.eventId())
                .addValue("activityId", event.activityId())
                .addValue("aggregateSequence", envelope.aggregateSequence())
                .addValue("eventType", event.getClass().getSimpleName())
                // The same mapper that wrote the payload: amounts and dates keep their exact text.
                .addValue("payload", objectMapper.writeValueAsString(event))
                .addValue("recordedBy", envelope.recordedBy(), Types.VARCHAR)
                .addValue("occurredAt", Sql.timestamptz(envelope.occurredAt()), Types.TIMESTAMP_WITH_TIMEZONE)
                .addValue("recordedAt", Sql.timestamptz(envelope.recordedAt()), Types.TIMESTAMP_WITH_TIMEZONE)
                .addValue("idempotencyKey", envelope.idempotencyKey(), Types.VARCHAR));
        position.advance(Projections.AUDIT_HISTORY, envelope);
    }
}
