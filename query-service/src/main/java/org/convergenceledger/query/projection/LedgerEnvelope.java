package org.convergenceledger.query.projection;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.MetaData;
import org.convergenceledger.events.LedgerMetadata;

/**
 * What the query side reads beside an event's payload: its place in the global order, who recorded it and when.
 * The publisher copies the global sequence (and its predecessor's) into the metadata because handlers never see
 * the Kafka headers.
 *
 * @param previousGlobalSequence the stored event before this one, 0 for the first; null for events published before
 *                               the publisher named predecessors
 */
public record LedgerEnvelope(
        long globalSequence,
        Long previousGlobalSequence,
        String eventId,
        String aggregateId,
        long aggregateSequence,
        String recordedBy,
        Instant occurredAt,
        Instant recordedAt,
        String idempotencyKey) {

    // Activity events are domain events: their aggregate sequence is what makes redelivery detectable.
    public boolean fromAggregate() {
        return aggregateId != null;
    }

    /** When the fact happened as its sender stated it; the recording time for events that do not say. */
    public Instant occurredOrRecorded() {
        return occurredAt != null ? occurredAt : recordedAt;
    }

    public static LedgerEnvelope of(EventMessage<?> message) {
        MetaData metaData = message.getMetaData();
        String aggregateId = null;
        long aggregateSequence = 0;
        if (message instanceof DomainEventMessage<?> domainEvent) {
            aggregateId = domainEvent.getAggregateIdentifier();
            aggregateSequence = domainEvent.getSequenceNumber();
        }
        return new LedgerEnvelope(
                globalSequence(metaData.get(LedgerMetadata.GLOBAL_SEQUENCE), message.getIdentifier()),
                metaData.containsKey(LedgerMetadata.PREVIOUS_GLOBAL_SEQUENCE)
                        ? sequence(metaData.get(LedgerMetadata.PREVIOUS_GLOBAL_SEQUENCE),
                                LedgerMetadata.PREVIOUS_GLOBAL_SEQUENCE, message.getIdentifier())
                        : null,
                message.getIdentifier(),
                aggregateId,
                aggregateSequence,
                text(metaData.get(LedgerMetadata.RECORDED_BY)),
                instant(metaData.get(LedgerMetadata.OCCURRED_AT)),
                message.getTimestamp(),
                text(metaData.get(LedgerMetadata.IDEMPOTENCY_KEY)));
    }

    // Kafka headers bring metadata back as text; a local bus or a test may hand over the number itself.
    static long globalSequence(Object value, String eventId) {
        return sequence(value, LedgerMetadata.GLOBAL_SEQUENCE, eventId);
    }

    private static long sequence(Object value, String key, String eventId) {
        if (value instanceof Number number) {
            return number.longValue();
        }
        if (value instanceof String text && !text.isBlank()) {
            try {
                return Long.parseLong(text.trim());
            } catch (NumberFormatException notANumber) {
                throw new IllegalStateException("Event " + eventId + " has a " + key + " that is not a number: "
                        + text);
            }
        }
        // Without its place in the global order an event can be neither deduplicated nor positioned.
        throw new IllegalStateException(
                "Event " + eventId + " carries no " + key + " metadata");
    }

    static Instant instant(Object value) {
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof String text && !text.isBlank()) {
            Instant quick = utc(text);
            if (quick != null) {
                return quick;
            }
            try {
                return Instant.parse(text.trim());
            } catch (DateTimeParseException notAnInstant) {
                return null;
            }
        }
        return null;
    }

    /**
     * The ledger's own timestamps, yyyy-MM-ddTHH:mm:ss[.fraction]Z as Instant.toString() writes them, read without
     * the general ISO parser (a tenth of the projection's time went there); anything else gives null.
     */
    static Instant utc(String text) {
        int length = text.length();
        if (length < 20 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':' || text.charAt(length - 1) != 'Z') {
            return null;
        }
        int nanos = 0;
        if (length > 20) {
            if (text.charAt(19) != '.' || length > 30) {
                return null;
            }
            int digits = length - 21;
            int fraction = digits(text, 20, length - 1);
            if (fraction < 0) {
                return null;
            }
            nanos = fraction;
            for (int i = digits; i < 9; i++) {
                nanos *= 10;
            }
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0
                || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        try {
            long days = java.time.LocalDate.of(year, month, day).toEpochDay();
            return Instant.ofEpochSecond(days * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
        } catch (java.time.DateTimeException impossible) {
            return null;
        }
    }

    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }
}
