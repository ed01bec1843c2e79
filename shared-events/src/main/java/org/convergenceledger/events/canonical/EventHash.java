package org.convergenceledger.events.canonical;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tamper evidence of one stored event: SHA-256 over the canonical encoding of everything that makes the fact —
 * its id, its activity (aggregate) and position in it, its type, when it was recorded, who recorded it and when it
 * happened, its payload — and the hash of the previous event of the same activity, so that changing, removing or
 * reordering an event breaks the chain from there on.
 *
 * <pre>
 * hash = hex(SHA-256(canonical({"aggregateId", "aggregateSequence", "envelope": {recordedBy, keyId, occurredAt,
 *        idempotencyKey, correction, correctionReason (each when given)}, "eventId", "payload", "payloadType",
 *        "previousHash", "recordedAt"})))
 * </pre>
 * recordedAt is the event's timestamp in UTC with exactly three fraction digits (as the event store keeps it); the
 * first event of an activity has {@link #GENESIS} as previous hash.
 */
public final class EventHash {

    public static final String GENESIS = "0".repeat(64);

    private static final DateTimeFormatter RECORDED_AT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /** What the hash covers; envelope holds only the ledger's own metadata keys (see LedgerMetadata). */
    public record Fields(String eventId, String aggregateId, long aggregateSequence, String payloadType,
                         String recordedAt, Map<String, String> envelope, JsonNode payload, String previousHash) {
    }

    private EventHash() {
    }

    public static String recordedAt(Instant timestamp) {
        return RECORDED_AT.format(timestamp);
    }

    public static String of(Fields fields) {
        ObjectNode record = JsonNodeFactory.instance.objectNode();
        record.put("eventId", fields.eventId());
        record.put("aggregateId", fields.aggregateId());
        record.put("aggregateSequence", fields.aggregateSequence());
        record.put("payloadType", fields.payloadType());
        record.put("recordedAt", fields.recordedAt());
        ObjectNode envelope = record.putObject("envelope");
        new TreeMap<>(fields.envelope()).forEach(envelope::put);
        record.set("payload", fields.payload());
        record.put("previousHash", fields.previousHash());
        return sha256(CanonicalJson.encode(record));
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
