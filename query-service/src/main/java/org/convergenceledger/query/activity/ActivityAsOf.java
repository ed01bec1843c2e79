package org.convergenceledger.query.activity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.convergenceledger.events.LedgerEvents;
import org.convergenceledger.events.activity.ActivityEvent;
import org.convergenceledger.query.projection.Moment;
import org.convergenceledger.query.projection.Stamp;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * An activity at a past moment: its recorded history (activity_event, kept by the audit-history projection) up to
 * knownAt, folded through the same transitions that build the live view, as far as the facts had happened by validAt
 * — with the same stamps as the versions of the convergence view, so both agree on which version holds.
 */
@Component
class ActivityAsOf {

    /** The activity then, and the global sequence of the last event taken into account. */
    record Then(ActivityView view, long lastGlobalSequence) {
    }

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    ActivityAsOf(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    Optional<Then> of(String id, Moment moment) {
        ActivityView[] view = {null};
        Stamp[] stamp = {null};
        long[] last = {-1};
        boolean[] over = {false};
        Instant knownAt = moment.knownAt() != null ? moment.knownAt() : Instant.MAX;
        Instant validAt = moment.validAt() != null ? moment.validAt() : Instant.MAX;
        jdbc.query("""
                SELECT event_type, payload::text AS payload, aggregate_sequence, global_sequence, recorded_at,
                       occurred_at
                FROM activity_event WHERE activity_id = ? ORDER BY aggregate_sequence
                """, row -> {
                    if (over[0]) {
                        return;
                    }
                    Instant recordedAt = ActivityFold.micros(row.getTimestamp("recorded_at").toInstant());
                    Timestamp occurred = row.getTimestamp("occurred_at");
                    Instant occurredAt = occurred == null ? recordedAt : ActivityFold.micros(occurred.toInstant());
                    Stamp next = stamp[0] == null ? new Stamp(recordedAt, occurredAt)
                            : stamp[0].then(recordedAt, occurredAt);
                    // The activity's facts in their order: the first not yet known or not yet happened ends it.
                    if (!next.reachedBy(knownAt, validAt)) {
                        over[0] = true;
                        return;
                    }
                    ActivityEvent event = read(row.getString("event_type"), row.getString("payload"));
                    ActivityView after = view[0] == null ? firstOf(event) : view[0].then(event);
                    view[0] = after.with(new ActivityView.Version(row.getLong("aggregate_sequence"),
                            row.getLong("global_sequence"), recordedAt));
                    stamp[0] = next;
                    last[0] = row.getLong("global_sequence");
                }, id);
        return view[0] == null ? Optional.empty() : Optional.of(new Then(view[0], last[0]));
    }

    private ActivityEvent read(String type, String payload) {
        Class<?> eventClass = LedgerEvents.named(type).orElse(null);
        if (eventClass == null || !ActivityEvent.class.isAssignableFrom(eventClass)) {
            throw new IllegalStateException("history holds an unknown event type " + type);
        }
        try {
            return (ActivityEvent) json.readValue(payload, eventClass);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("history holds an unreadable " + type, e);
        }
    }

    private static ActivityView firstOf(ActivityEvent event) {
        return ActivityView.first(event);
    }
}
