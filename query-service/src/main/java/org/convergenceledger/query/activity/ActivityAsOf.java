package org.convergenceledger.query.activity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.convergenceledger.events.LedgerEvents;
import org.convergenceledger.events.activity.ActivityCancelled;
import org.convergenceledger.events.activity.ActivityCommitted;
import org.convergenceledger.events.activity.ActivityCompleted;
import org.convergenceledger.events.activity.ActivityEvent;
import org.convergenceledger.events.activity.ActivityProposed;
import org.convergenceledger.events.activity.ActivityResumed;
import org.convergenceledger.events.activity.ActivityRevised;
import org.convergenceledger.events.activity.ActivityStarted;
import org.convergenceledger.events.activity.ActivitySuspended;
import org.convergenceledger.events.activity.PartnerJoined;
import org.convergenceledger.events.activity.PartnershipRequested;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * An activity as it was known at a past instant: its recorded history up to then (activity_event, kept by the
 * audit-history projection) folded through the same transitions that build the live view.
 */
@Component
class ActivityAsOf {

    /** The activity then, and the global sequence of the last event that was known. */
    record Then(ActivityView view, long lastGlobalSequence) {
    }

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    ActivityAsOf(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    Optional<Then> of(String id, Instant asOf) {
        ActivityView[] view = {null};
        long[] last = {-1};
        jdbc.query("""
                SELECT event_type, payload::text AS payload, aggregate_sequence, global_sequence, recorded_at
                FROM activity_event WHERE activity_id = ? AND recorded_at <= ? ORDER BY aggregate_sequence
                """, row -> {
                    ActivityEvent event = read(row.getString("event_type"), row.getString("payload"));
                    ActivityView next = view[0] == null ? firstOf(event) : apply(view[0], event);
                    view[0] = next.at(row.getLong("aggregate_sequence"), row.getLong("global_sequence"),
                            row.getTimestamp("recorded_at").toInstant());
                    last[0] = row.getLong("global_sequence");
                }, id, Timestamp.from(asOf));
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
        if (event instanceof ActivityProposed proposed) {
            return ActivityView.proposed(proposed);
        }
        throw new IllegalStateException("history of " + event.activityId() + " does not start with its proposal");
    }

    private static ActivityView apply(ActivityView view, ActivityEvent event) {
        if (event instanceof ActivityCommitted committed) {
            return view.committed(committed);
        } else if (event instanceof ActivityStarted started) {
            return view.started(started);
        } else if (event instanceof ActivitySuspended suspended) {
            return view.suspended(suspended);
        } else if (event instanceof ActivityResumed resumed) {
            return view.resumed(resumed);
        } else if (event instanceof ActivityCompleted completed) {
            return view.completed(completed);
        } else if (event instanceof ActivityCancelled cancelled) {
            return view.cancelled(cancelled);
        } else if (event instanceof ActivityRevised revised) {
            return view.revised(revised);
        } else if (event instanceof PartnerJoined joined) {
            return view.partnerJoined(joined);
        } else if (event instanceof PartnershipRequested) {
            // A request changes nothing the view shows until the lead accepts it (a PartnerJoined).
            return view;
        }
        throw new IllegalStateException("a second proposal of " + event.activityId() + " in its history");
    }
}
