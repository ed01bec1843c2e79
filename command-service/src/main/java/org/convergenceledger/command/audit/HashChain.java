package org.convergenceledger.command.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.convergenceledger.command.system.GroupCommit;
import org.convergenceledger.command.system.LeastRecentlyUsed;
import org.convergenceledger.events.LedgerMetadata;
import org.convergenceledger.events.activity.ActivityMovedIn;
import org.convergenceledger.events.canonical.EventHash;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Seals every event an aggregate applies before it is stored: its hash (EventHash, over its canonical form) and the
 * hash of the previous event of the same aggregate go into its metadata. The previous hash comes from the events
 * applied earlier in the same unit of work, else from the last hashes this service sealed and saw committed (kept
 * for the activities most recently written, checked by their sequence number), else from the store, in the
 * transaction that will append this one. A batch of commands that fails to commit empties that memory.
 */
@Component
class HashChain implements MessageDispatchInterceptor<EventMessage<?>>, GroupCommit.Listener {

    private static final String LAST_HASHES = HashChain.class.getName() + ".lastHashes";
    private static final int REMEMBERED = 20_000;

    /** The hash of an aggregate's event at a sequence number. */
    private record Sealed(long sequence, String hash) {
    }

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final Map<String, Sealed> committed = LeastRecentlyUsed.map(REMEMBERED);

    HashChain(EventBus eventBus, JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
        eventBus.registerDispatchInterceptor(this);
    }

    @Override
    public synchronized void batchRolledBack() {
        committed.clear();
    }

    private synchronized String rememberedHash(String aggregateId, long sequence) {
        Sealed last = committed.get(aggregateId);
        return last != null && last.sequence() == sequence ? last.hash() : null;
    }

    private synchronized void remember(String aggregateId, Sealed sealed) {
        Sealed known = committed.get(aggregateId);
        if (known == null || known.sequence() < sealed.sequence()) {
            committed.put(aggregateId, sealed);
        }
    }

    @Override
    public BiFunction<Integer, EventMessage<?>, EventMessage<?>> handle(List<? extends EventMessage<?>> messages) {
        return (index, message) -> message instanceof DomainEventMessage<?> event ? seal(event) : message;
    }

    private EventMessage<?> seal(DomainEventMessage<?> event) {
        Map<String, String> lastHashes = CurrentUnitOfWork.isStarted()
                ? CurrentUnitOfWork.get().root().getOrComputeResource(LAST_HASHES, key -> new HashMap<>())
                : new HashMap<>();
        String previous;
        if (event.getSequenceNumber() == 0 && event.getPayload() instanceof ActivityMovedIn movedIn) {
            // A moved activity's chain goes on across its move: its new stream links to the ActivityRekeyed that
            // closed the old one, applied just before in this unit of work.
            previous = lastHashes.get(movedIn.movedFrom());
            if (previous == null) {
                throw new IllegalStateException("ActivityMovedIn of " + event.getAggregateIdentifier()
                        + " without the ActivityRekeyed of " + movedIn.movedFrom() + " before it in its unit of work");
            }
        } else {
            previous = event.getSequenceNumber() == 0 ? EventHash.GENESIS
                    : lastHashes.computeIfAbsent(event.getAggregateIdentifier(), aggregate -> {
                        String remembered = rememberedHash(aggregate, event.getSequenceNumber() - 1);
                        return remembered != null ? remembered : storedHash(aggregate, event.getSequenceNumber() - 1);
                    });
        }
        String hash = EventHash.of(new EventHash.Fields(event.getIdentifier(), event.getAggregateIdentifier(),
                event.getSequenceNumber(), event.getPayloadType().getName(), EventHash.recordedAt(event.getTimestamp()),
                envelope(event.getMetaData()), json.valueToTree(event.getPayload()), previous));
        lastHashes.put(event.getAggregateIdentifier(), hash);
        if (CurrentUnitOfWork.isStarted()) {
            Sealed sealed = new Sealed(event.getSequenceNumber(), hash);
            CurrentUnitOfWork.get().afterCommit(unit -> remember(event.getAggregateIdentifier(), sealed));
        }
        return event.andMetaData(Map.of(LedgerMetadata.HASH, hash, LedgerMetadata.PREVIOUS_HASH, previous));
    }

    static Map<String, String> envelope(Map<String, ?> metaData) {
        Map<String, String> envelope = new HashMap<>();
        for (String key : LedgerMetadata.HASHED_ENVELOPE) {
            Object value = metaData.get(key);
            if (value != null) {
                envelope.put(key, value.toString());
            }
        }
        return envelope;
    }

    private String storedHash(String aggregateId, long sequence) {
        List<byte[]> metadata = jdbc.query(
                "SELECT metadata FROM domainevententry WHERE aggregateidentifier = ? AND sequencenumber = ?",
                (row, n) -> row.getBytes(1), aggregateId, sequence);
        if (metadata.isEmpty() || metadata.get(0) == null) {
            throw new IllegalStateException("event " + sequence + " of " + aggregateId + " is missing from the store");
        }
        try {
            JsonNode stored = json.readTree(metadata.get(0));
            return stored.path(LedgerMetadata.HASH).asText(EventHash.GENESIS);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored metadata of " + aggregateId + " is not JSON", e);
        }
    }
}
