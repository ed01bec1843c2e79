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
import java.net.URI;
import java.util.ArrayList;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
class AuditController {

    /** @param activityId the identifier the event was recorded under (an activity that moved had others before) */
    record HistoryEntry(
            String activityId,
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
    record PublicEntry(String activityId, long globalSequence, String eventId, long aggregateSequence, String type,
                       JsonNode payload, String recordedBy, Instant occurredAt, Instant recordedAt) {
    }

    record Timeline(String activityId, List<PublicEntry> events, Long asOfSequence) {
    }

    /** An identifier the activity moved away from answers 308 with the new one's timeline as Location. */
    @GetMapping("/api/activities/{id}/events")
    ResponseEntity<Timeline> timeline(@PathVariable String id) {
        History history = history(id);
        Timeline timeline = new Timeline(id, history.events().stream().map(event -> new PublicEntry(
                event.activityId(), event.globalSequence(), event.eventId(), event.aggregateSequence(), event.type(),
                event.payload(), event.recordedBy(), event.occurredAt(), event.recordedAt())).toList(),
                history.asOfSequence());
        HistoryEntry last = history.events().get(history.events().size() - 1);
        if (REKEYED.equals(last.type()) && id.equals(last.activityId())) {
            return ResponseEntity.status(HttpStatus.PERMANENT_REDIRECT).location(URI.create("/api/activities/"
                    + last.payload().path("newActivityId").asText() + "/events")).body(timeline);
        }
        return ResponseEntity.ok(timeline);
    }

    /**
     * Every fact of the activity, in order, across its moves: an identifier whose stream starts with ActivityMovedIn
     * is preceded by the history of the one it came from (each entry says which identifier it was recorded under).
     */
    @GetMapping("/api/audit/activities/{id}/history")
    History history(@PathVariable String id) {
        History history = snapshot.read(() -> {
            List<HistoryEntry> events = new ArrayList<>(eventsOf(id));
            String from = movedFrom(events);
            // A move never comes back to an identifier it left (the new one must be free), so this ends.
            while (from != null) {
                List<HistoryEntry> earlier = eventsOf(from);
                events.addAll(0, earlier);
                from = movedFrom(earlier);
            }
            return new History(id, events, position.asOfSequence(Projections.AUDIT_HISTORY));
        });
        if (history.events().isEmpty()) {
            throw new NotFound("activity history", id);
        }
        return history;
    }

    private static final String REKEYED = "ActivityRekeyed";

    private static String movedFrom(List<HistoryEntry> events) {
        return !events.isEmpty() && "ActivityMovedIn".equals(events.get(0).type())
                ? events.get(0).payload().path("movedFrom").asText(null) : null;
    }

    private List<HistoryEntry> eventsOf(String id) {
        return jdbc.query("""
                        SELECT global_sequence, event_id, aggregate_sequence, event_type, payload::text AS payload,
                               recorded_by, occurred_at, recorded_at, idempotency_key
                        FROM activity_event WHERE activity_id = :id ORDER BY aggregate_sequence, global_sequence
                        """, Map.of("id", id), (rs, row) -> new HistoryEntry(
                        id,
                        rs.getLong("global_sequence"),
                        rs.getString("event_id"),
                        rs.getLong("aggregate_sequence"),
                        rs.getString("event_type"),
                        json(rs.getString("payload")),
                        rs.getString("recorded_by"),
                        instant(rs.getTimestamp("occurred_at")),
                        instant(rs.getTimestamp("recorded_at")),
                        rs.getString("idempotency_key")));
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
