package org.convergenceledger.command.system;

import java.util.List;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;

/**
 * Axon's embedded event store, told when a batch of commands has committed. A command's unit of work ends at its
 * savepoint, before its batch commits, so the store's own wake-up call comes too early for the readers in this JVM
 * (the checkpointer, the publisher) to see the events; without a second call after the commit they would find them
 * only at their next poll, up to a second later.
 */
class LedgerEventStore extends EmbeddedEventStore implements GroupCommit.Listener {

    LedgerEventStore(Builder builder) {
        super(builder);
    }

    @Override
    public void batchCommitted() {
        afterCommit(List.of());
    }

    @Override
    public void batchRolledBack() {
        // nothing was stored: nothing to read
    }
}
