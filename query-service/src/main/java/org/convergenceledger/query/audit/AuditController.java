package org.convergenceledger.query.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.convergenceledger.query.system.NotFound;
import org.convergenceledger.query.projection.ProjectionPosition;
import org.convergenceledger.query.projection.Projections;
import org.convergenceledger.query.system.ReadSnapshot;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
class AuditController {

    record HistoryEntry(
            long globalSequence,
            String eventId,
            long aggregateSequence,
            String type,
            JsonNode payload,
            String recordedBy,
            Instant occurredAt,
            Instant recordedAt,
            String idempotencyKey) {
    }

    record History(String activityId, List<HistoryEntry> events, Long asOfSequence) {
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper objectMapper;
    private final ProjectionPosition position;
    private final ReadSnapshot snapshot;

    AuditController(NamedParameterJdbcTemplate jdbc, ObjectMapper objectMapper, ProjectionPosition position,
                    ReadSnapshot snapshot) {
        this.jdbc = jdbc;
        this.objectMapper = objectMapper;
        this.position = position;
        this.snapshot = snapshot;
    }

    /** What anyone may see of an activity's history: every fact, who recorded it and when; not the senders' keys. */
    record PublicEntry(long globalSequence, String eventId, long aggregateSequence, String type, JsonNode payload,
                       String recordedBy, Instant occurredAt, Instant recordedAt) {
    }

    record Timeline(String activityId, List<PublicEntry> events, Long asOfSequence) {
    }

    @GetMapping("/api/activities/{id}/events")
    Timeline timeline(@PathVariable String id) {
        History history = history(id);
        return new Timeline(id, history.events().stream().map(event -> new PublicEntry(event.globalSequence(),
                event.eventId(), event.aggregateSequence(), event.type(), event.payload(), event.recordedBy(),
                event.occurredAt(), event.recordedAt())).toList(), history.asOfSequence());
    }

    @GetMapping("/api/audit/activities/{id}/history")
    History history(@PathVariable String id) {
        History history = snapshot.read(() -> new History(id, jdbc.query("""
                        SELECT global_sequence, event_id, aggregate_sequence, event_type, payload::text AS payload,
                               recorded_by, occurred_at, recorded_at, idempotency_key
                        FROM activity_event WHERE activity_id = :id ORDER BY aggregate_sequence, global_sequence
                        """, Map.of("id", id), (rs, row) -> new HistoryEntry(
                        rs.getLong("global_sequence"),
                        rs.getString("event_id"),
                        rs.getLong("aggregate_sequence"),
                        rs.getString("event_type"),
                        json(rs.getString("payload")),
                        rs.getString("recorded_by"),
                        instant(rs.getTimestamp("occurred_at")),
                        instant(rs.getTimestamp("recorded_at")),
                        rs.getString("idempotency_key"))),
                position.asOfSequence(Projections.AUDIT_HISTORY)));
        if (history.events().isEmpty()) {
            throw new NotFound("activity history", id);
        }
        return history;
    }

    private JsonNode json(String payload) {
        try {
            return objectMapper.readTree(payload);
        } catch (JsonProcessingException corrupt) {
            throw new IllegalStateException("Stored payload is not JSON", corrupt);
        }
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
