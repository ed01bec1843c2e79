package org.convergenceledger.command.audit;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.convergenceledger.events.LedgerMetadata;
import org.springframework.stereotype.Component;

/**
 * Appends every stored event to the Merkle tree, in the order the event store delivers them, in the transaction
 * that moves this processor's token: a leaf is never added twice nor skipped. Signed tree heads are published over
 * the leaves by {@link TreeHeads}.
 */
@Component
@ProcessingGroup(Checkpointer.GROUP)
class Checkpointer {

    static final String GROUP = "ledger-checkpointer";
    private static final String BATCH = Checkpointer.class.getName() + ".batch";

    private final MerkleStore tree;

    Checkpointer(MerkleStore tree) {
        this.tree = tree;
    }

    /** The next leaf index, the events appended and the nodes written, for one processor batch. */
    private static final class Batch {
        long nextIndex;
        final Set<String> appended = new HashSet<>();
        final Map<String, byte[]> nodes = new HashMap<>();
    }

    @EventHandler
    void append(Object payload, EventMessage<?> event, TrackingToken token, UnitOfWork<?> unitOfWork) {
        long globalSequence = token.position().orElseThrow(() ->
                new IllegalStateException("event " + event.getIdentifier() + " has no global position"));
        Batch batch = unitOfWork.root().getOrComputeResource(BATCH, key -> {
            Batch fresh = new Batch();
            fresh.nextIndex = tree.size();
            return fresh;
        });
        // The store's tracking stream can hand an event over twice (seen at start-up, with gaps in the global
        // index); a leaf per event, never two.
        if (!batch.appended.add(event.getIdentifier()) || tree.contains(event.getIdentifier())) {
            return;
        }
        Object hash = event.getMetaData().get(LedgerMetadata.HASH);
        // Events stored before sealing existed have no hash; the leaf still fixes their place in the order.
        String eventHash = hash == null ? "0".repeat(64) : hash.toString();
        batch.nextIndex = tree.append(batch.nextIndex, globalSequence, event.getIdentifier(), eventHash,
                batch.nodes);
    }
}
