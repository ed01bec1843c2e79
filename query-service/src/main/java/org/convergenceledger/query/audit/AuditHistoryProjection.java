package org.convergenceledger.query.audit;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.serialization.Serializer;
import org.convergenceledger.events.access.ApiKeyIssued;
import org.convergenceledger.events.access.ApiKeyRevoked;
import org.convergenceledger.events.activity.ActivityEvent;
import org.convergenceledger.events.LedgerMetadata;
import org.convergenceledger.events.activity.FactDates;
import org.convergenceledger.events.coordination.DuplicationDecided;
import org.convergenceledger.events.coordination.PeriodClosed;
import org.convergenceledger.query.projection.Batches;
import org.convergenceledger.query.projection.LedgerEnvelope;
import org.convergenceledger.query.projection.ProjectionPosition;
import org.convergenceledger.query.projection.Projections;
import org.convergenceledger.query.projection.TableRows;
import org.convergenceledger.query.system.ProjectionDatabase;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The audit-history read model: every activity event (and every decision on a pair) as recorded, with who and when
 * (one row per global sequence, however often delivered), and the API keys the ledger issued, learnt from its events
 * like every other fact (the key table is bookkeeping of who may read, not part of the convergence view an auditor
 * fingerprints). A processor batch is written whole, one statement per table.
 */
@Component
@ProcessingGroup(Projections.AUDIT_HISTORY)
class AuditHistoryProjection {

    private static final TableRows.Table EVENT = new TableRows.Table("activity_event", "global_sequence", "event_id",
            "activity_id", "aggregate_sequence", "event_type", "payload", "recorded_by", "occurred_at", "recorded_at",
            "idempotency_key", "correction_reason", "dated_on");
    private static final TableRows.Table PERIOD = new TableRows.Table("closed_period", "period_id", "agency",
            "date_from", "date_to", "reason", "closed_by", "closed_at", "global_sequence");
    private static final TableRows.Table KEY = new TableRows.Table("access_key", "key_id", "agency_code", "role",
            "credential_hash", "global_sequence");

    /**
     * One event as this projection keeps it: an activity event's payload as the JSON it arrived in; for a correction
     * of a closed period, its reason and the date of the fact it states; the rare key and period events whole.
     */
    private record Entry(LedgerEnvelope envelope, Class<?> type, String json, Object key, String correctionReason,
                         LocalDate datedOn) {
    }

    private final JdbcTemplate jdbc;
    private final Serializer serializer;
    private final ProjectionPosition position;

    AuditHistoryProjection(ProjectionDatabase database, Serializer serializer, ProjectionPosition position) {
        this.jdbc = database.jdbc();
        this.serializer = serializer;
        this.position = position;
    }

    /**
     * Without a payload parameter, Axon does not deserialize the payload: an activity event is kept as the JSON the
     * ledger recorded (the same text, not a re-encoding of it); only the rare key events are read.
     */
    @EventHandler
    void on(EventMessage<?> message) {
        Class<?> type = message.getPayloadType();
        // An activity's facts, and a pair's decisions (their stream is the pair's: pair:<first>+<second>).
        String json = ActivityEvent.class.isAssignableFrom(type) || DuplicationDecided.class.equals(type)
                ? message.serializePayload(serializer, String.class).getData() : null;
        Object key = ApiKeyIssued.class.equals(type) || ApiKeyRevoked.class.equals(type)
                || PeriodClosed.class.equals(type) ? message.getPayload() : null;
        LedgerEnvelope envelope = LedgerEnvelope.of(message);
        Object correction = message.getMetaData().get(LedgerMetadata.CORRECTION_REASON);
        // Only a correction's payload is read here: the date it states is what the closed periods are compared with.
        LocalDate datedOn = correction == null || json == null ? null : FactDates.datedOn(message.getPayload(),
                envelope.occurredOrRecorded().atZone(ZoneOffset.UTC).toLocalDate());
        Batches.collect(Projections.AUDIT_HISTORY, new Entry(envelope, type, json, key,
                correction == null ? null : correction.toString(), datedOn), this::apply);
    }

    private void apply(List<Entry> batch) {
        List<Object[]> events = new ArrayList<>();
        List<Object[]> issued = new ArrayList<>();
        List<Object[]> revoked = new ArrayList<>();
        List<Object[]> periods = new ArrayList<>();
        List<LedgerEnvelope> envelopes = new ArrayList<>(batch.size());
        for (Entry entry : batch) {
            LedgerEnvelope envelope = entry.envelope();
            envelopes.add(envelope);
            if (entry.json() != null) {
                events.add(new Object[] {envelope.globalSequence(), envelope.eventId(), envelope.aggregateId(),
                        envelope.aggregateSequence(), entry.type().getSimpleName(), entry.json(),
                        envelope.recordedBy(), text(envelope.occurredAt()), text(envelope.recordedAt()),
                        envelope.idempotencyKey(), entry.correctionReason(), entry.datedOn()});
            } else if (entry.key() instanceof ApiKeyIssued key) {
                issued.add(new Object[] {key.keyId(), key.agencyCode(), key.role().name(), key.credentialHash(),
                        envelope.globalSequence()});
            } else if (entry.key() instanceof ApiKeyRevoked key) {
                revoked.add(new Object[] {key.keyId()});
            } else if (entry.key() instanceof PeriodClosed period) {
                periods.add(new Object[] {period.periodId(), period.agency(), period.from(), period.to(),
                        period.reason(), envelope.recordedBy(), text(envelope.recordedAt()), envelope.globalSequence()});
            }
        }
        TableRows.upsert(jdbc, EVENT, events, "ON CONFLICT DO NOTHING");
        TableRows.insert(jdbc, KEY.insert() + " ON CONFLICT (key_id) DO NOTHING", issued);
        TableRows.insert(jdbc, PERIOD.insert() + " ON CONFLICT (period_id) DO NOTHING", periods);
        if (!revoked.isEmpty()) {
            jdbc.batchUpdate("UPDATE access_key SET revoked = true WHERE key_id = ?", revoked);
        }
        position.advance(Projections.AUDIT_HISTORY, envelopes);
    }

    // PostgreSQL keeps microseconds: truncated here as everywhere else, never rounded by the column.
    private static String text(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS).toString();
    }
}
