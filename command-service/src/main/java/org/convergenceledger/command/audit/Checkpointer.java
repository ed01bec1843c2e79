package org.convergenceledger.command.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.convergenceledger.command.system.GlobalPositions;
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
    private final GlobalPositions globalPositions;

    Checkpointer(MerkleStore tree, GlobalPositions globalPositions) {
        this.tree = tree;
        this.globalPositions = globalPositions;
    }

    @EventHandler
    void append(Object payload, EventMessage<?> event, UnitOfWork<?> unitOfWork) {
        pendingEvents(unitOfWork).add(event);
    }

    /** The batch's events, appended as leaves just before its token is stored, in the order they were delivered. */
    private List<EventMessage<?>> pendingEvents(UnitOfWork<?> unitOfWork) {
        return unitOfWork.root().getOrComputeResource(BATCH, key -> {
            List<EventMessage<?>> events = new ArrayList<>();
            unitOfWork.root().onPrepareCommit(batch -> appendAll(events));
            return events;
        });
    }

    private void appendAll(List<EventMessage<?>> events) {
        Map<String, Long> positions = globalPositions.of(events);
        Set<String> appended = tree.alreadyIn(positions.keySet());
        List<MerkleStore.NewLeaf> leaves = new ArrayList<>(events.size());
        for (EventMessage<?> event : events) {
            // The store's tracking stream can hand an event over twice (seen at start-up, with gaps in the global
            // index); a leaf per event, never two.
            if (!appended.add(event.getIdentifier())) {
                continue;
            }
            Object hash = event.getMetaData().get(LedgerMetadata.HASH);
            // Events stored before sealing existed have no hash; the leaf still fixes their place in the order.
            String eventHash = hash == null ? "0".repeat(64) : hash.toString();
            leaves.add(new MerkleStore.NewLeaf(positions.get(event.getIdentifier()), event.getIdentifier(), eventHash));
        }
        tree.appendAll(leaves);
    }
}
