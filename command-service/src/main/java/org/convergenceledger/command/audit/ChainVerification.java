package org.convergenceledger.command.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.convergenceledger.events.LedgerMetadata;
import org.convergenceledger.events.canonical.EventHash;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * GET /api/audit/verification: re-reads the whole event store in global order, page by page, and checks each
 * event against its seal — its hash recomputed from what is stored now, its link to the previous event of its
 * activity, no sequence number missing. Reports how many events held and every one that does not (first 100), with
 * what is wrong. Memory grows with the number of activities, not of events.
 */
@RestController
class ChainVerification {

    private static final int PAGE = 1000;
    private static final int MAX_REPORTED = 100;

    record Failure(long globalSequence, String eventId, String aggregateId, long aggregateSequence, String reason) {
    }

    record Report(boolean intact, long eventsChecked, long eventsHolding, List<Failure> failures,
                  Instant checkedAt) {
    }

    private record Link(long sequence, String hash) {
    }

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    ChainVerification(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @GetMapping("/api/audit/verification")
    Report verify() {
        Map<String, Link> lastOfAggregate = new HashMap<>();
        List<Failure> failures = new ArrayList<>();
        long[] counts = new long[2];
        long after = -1;
        while (true) {
            List<StoredEvent> page = jdbc.query("""
                    SELECT globalindex, eventidentifier, aggregateidentifier, sequencenumber, payloadtype, timestamp,
                           payload, metadata
                    FROM domainevententry WHERE globalindex > ? ORDER BY globalindex LIMIT ?
                    """, (row, n) -> new StoredEvent(row.getLong(1), row.getString(2), row.getString(3),
                    row.getLong(4), row.getString(5), row.getString(6), row.getBytes(7), row.getBytes(8)),
                    after, PAGE);
            for (StoredEvent event : page) {
                counts[0]++;
                String problem = check(event, lastOfAggregate);
                if (problem == null) {
                    counts[1]++;
                } else if (failures.size() < MAX_REPORTED) {
                    failures.add(new Failure(event.globalIndex(), event.eventId(), event.aggregateId(),
                            event.sequence(), problem));
                }
            }
            if (page.size() < PAGE) {
                break;
            }
            after = page.get(page.size() - 1).globalIndex();
        }
        return new Report(counts[0] == counts[1], counts[0], counts[1], failures, Instant.now());
    }

    private String check(StoredEvent event, Map<String, Link> lastOfAggregate) {
        Link last = lastOfAggregate.get(event.aggregateId());
        long expectedSequence = last == null ? 0 : last.sequence() + 1;
        JsonNode metadata;
        JsonNode payload;
        try {
            metadata = event.metadata() == null ? json.createObjectNode() : json.readTree(event.metadata());
            payload = json.readTree(event.payload());
        } catch (IOException unreadable) {
            lastOfAggregate.put(event.aggregateId(), new Link(event.sequence(), ""));
            return "stored payload or metadata is not JSON any more: altered";
        }
        String sealed = metadata.path(LedgerMetadata.HASH).asText(null);
        String previous = metadata.path(LedgerMetadata.PREVIOUS_HASH).asText(null);
        lastOfAggregate.put(event.aggregateId(), new Link(event.sequence(), sealed == null ? "" : sealed));
        if (sealed == null || previous == null) {
            return "not sealed: the event carries no hash";
        }
        if (event.sequence() != expectedSequence) {
            return event.sequence() > expectedSequence
                    ? "events " + expectedSequence + " to " + (event.sequence() - 1) + " of " + event.aggregateId()
                            + " are missing before it: removed"
                    : "comes after event " + last.sequence() + " of its activity in the global order: reordered";
        }
        String expectedPrevious = last == null ? EventHash.GENESIS : last.hash();
        if (!previous.equals(expectedPrevious)) {
            return "its previous-hash link does not match the activity's previous event: that event or this link"
                    + " was altered";
        }
        Map<String, String> envelope = new HashMap<>();
        for (String key : LedgerMetadata.HASHED_ENVELOPE) {
            if (metadata.hasNonNull(key)) {
                envelope.put(key, metadata.get(key).asText());
            }
        }
        String recomputed = EventHash.of(new EventHash.Fields(event.eventId(), event.aggregateId(), event.sequence(),
                event.payloadType(), event.timestamp(), envelope, payload, previous));
        return recomputed.equals(sealed) ? null
                : "its content no longer matches its hash: payload, envelope, type or time altered";
    }

    private record StoredEvent(long globalIndex, String eventId, String aggregateId, long sequence,
                               String payloadType, String timestamp, byte[] payload, byte[] metadata) {
    }
}
