package org.convergenceledger.command.audit;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * ledger_sealed_tree_size: how many events the Merkle tree holds (the checkpointer's leaves); the tree heads signed
 * over it trail it by up to ledger.audit.checkpoint-interval. Read from the checkpointer's memory; after a start,
 * until its first append, from the table's primary key (one probe per scrape).
 */
@Component
class SealingMeters implements MeterBinder {

    private final MerkleStore tree;

    SealingMeters(MerkleStore tree) {
        this.tree = tree;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("ledger.sealed.tree.size", this, SealingMeters::treeSize)
                .description("events sealed into the Merkle tree (its leaves)").register(registry);
    }

    private double treeSize() {
        var committed = tree.committedSize();
        if (committed.isPresent()) {
            return committed.getAsLong();
        }
        try {
            return tree.size();
        } catch (DataAccessException unavailable) {
            return Double.NaN;
        }
    }
}
