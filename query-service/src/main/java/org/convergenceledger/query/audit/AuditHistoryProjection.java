package org.convergenceledger.query.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.convergenceledger.events.activity.ActivityEvent;
import org.convergenceledger.query.system.LedgerEnvelope;
import org.convergenceledger.query.system.Projections;
import org.convergenceledger.query.system.Sql;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/** Every activity event, as recorded, with who and when: one row per global sequence, however often delivered. */
@Component
@ProcessingGroup(Projections.AUDIT_HISTORY)
class AuditHistoryProjection {

    private static final String PENDING_ROWS = AuditHistoryProjection.class.getName() + ".pending";
    private static final String INSERT = """
            INSERT INTO activity_event (global_sequence, event_id, activity_id, aggregate_sequence, event_type,
                payload, recorded_by, occurred_at, recorded_at, idempotency_key)
            VALUES (:globalSequence, :eventId, :activityId, :aggregateSequence, :eventType,
                CAST(:payload AS jsonb), :recordedBy, :occurredAt, :recordedAt, :idempotencyKey)
            ON CONFLICT DO NOTHING
            """;

    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper objectMapper;

    AuditHistoryProjection(NamedParameterJdbcTemplate jdbc, ObjectMapper objectMapper) {
        this.jdbc = jdbc;
        this.objectMapper = objectMapper;
    }

    @EventHandler
    void on(ActivityEvent event, EventMessage<?> message) throws JsonProcessingException {
        LedgerEnvelope envelope = LedgerEnvelope.of(message);
        MapSqlParameterSource row = new MapSqlParameterSource()
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
                .addValue("idempotencyKey", envelope.idempotencyKey(), Types.VARCHAR);
        if (CurrentUnitOfWork.isStarted()) {
            pendingRows(CurrentUnitOfWork.get().root()).add(row);
        } else {
            jdbc.update(INSERT, row);
        }
    }

    // A processor batch's rows go in as one JDBC batch just before its commit, not one statement per event.
    private List<MapSqlParameterSource> pendingRows(UnitOfWork<?> batch) {
        return batch.getOrComputeResource(PENDING_ROWS, key -> {
            List<MapSqlParameterSource> rows = new ArrayList<>();
            batch.onPrepareCommit(committing ->
                    jdbc.batchUpdate(INSERT, rows.toArray(MapSqlParameterSource[]::new)));
            return rows;
        });
    }
}
