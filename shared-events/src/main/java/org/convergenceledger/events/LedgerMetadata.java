package org.convergenceledger.events;

import java.util.List;

/**
 * Keys of the envelope every stored event carries beside its payload (Axon metadata, Kafka headers).
 * The time an event was recorded is the event's own timestamp; these say who and on whose behalf.
 */
public final class LedgerMetadata {

    /** The agency (or administrator) that recorded the fact. */
    public static final String RECORDED_BY = "recordedBy";
    /** When the fact happened in the world, as the sender states it (UTC instant); defaults to recording time. */
    public static final String OCCURRED_AT = "occurredAt";
    /** The id of the API key the sender authenticated with (never the secret): which credential acted. */
    public static final String KEY_ID = "keyId";
    /** The sender's idempotency key, so a retried request is recognised. */
    public static final String IDEMPOTENCY_KEY = "idempotencyKey";

    /** "true" on a fact recorded as a correction of a closed reporting period (see CORRECTION_REASON). */
    public static final String CORRECTION = "correction";
    /** Why a fact dated inside a closed reporting period is recorded all the same: required with CORRECTION. */
    public static final String CORRECTION_REASON = "correctionReason";

    /**
     * Tracing, not a fact (so outside HASHED_ENVELOPE): the id of the request or Kafka command that caused the event,
     * as the sender gave it (X-Correlation-Id, ledger-correlation-id) or as the command service made it.
     */
    public static final String CORRELATION_ID = "correlationId";

    /** SHA-256 of the event's canonical form, chained to its activity's previous event (see EventHash). */
    public static final String HASH = "hash";
    /** The hash of the previous event of the same activity; EventHash.GENESIS for the first. */
    public static final String PREVIOUS_HASH = "previousHash";
    /** The metadata keys an event's hash covers: the facts of its envelope, not tracing ids. */
    public static final List<String> HASHED_ENVELOPE = List.of(
            RECORDED_BY, KEY_ID, OCCURRED_AT, IDEMPOTENCY_KEY, CORRECTION, CORRECTION_REASON);

    /** The event's position in the global order of the event store, added when it is published. */
    public static final String GLOBAL_SEQUENCE = "globalSequence";
    /**
     * The global sequence of the stored event just before this one (0 for the first), added when it is published.
     * Kafka partitions interleave freely, so a consumer that has seen sequence N cannot tell whether everything
     * below N has arrived; with each event naming its predecessor it can (see the query side's watermark).
     */
    public static final String PREVIOUS_GLOBAL_SEQUENCE = "previousGlobalSequence";

    /** Kafka header: the event's position in the global order of the event store. */
    public static final String HEADER_GLOBAL_SEQUENCE = "ledger-global-sequence";
    /** Kafka header: the event's unique id. */
    public static final String HEADER_EVENT_ID = "ledger-event-id";
    /** Kafka header: the global sequence of the stored event before this one, 0 for the first. */
    public static final String HEADER_PREVIOUS_GLOBAL_SEQUENCE = "ledger-previous-global-sequence";

    /** Kafka header: the correlation id (CORRELATION_ID), on an agency's command and on the events it caused. */
    public static final String HEADER_CORRELATION_ID = "ledger-correlation-id";

    private LedgerMetadata() {
    }
}
