package org.convergenceledger.query.projection;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/**
 * Turns Axon's per-event handler calls into whole batches. A read model's projection has one catch-all handler that
 * hands each event here; the first event of a processor batch arranges for the batch to be applied just before its
 * transaction commits, together with the token: the projection then writes a table once per batch, not once per
 * event, and a batch that fails is rolled back and redelivered whole.
 */
public final class Batches {

    private Batches() {
    }

    /**
     * @param key   names the projection's batch among the unit of work's resources
     * @param apply applies a batch; called once per processor batch (at once for a call outside a unit of work)
     */
    public static void collect(String key, EventMessage<?> message, Object payload, Consumer<List<Recorded>> apply) {
        collect(key, new Recorded(LedgerEnvelope.of(message), payload), apply);
    }

    /** The same for a projection that keeps something else of each event than its envelope and payload. */
    public static <T> void collect(String key, T element, Consumer<List<T>> apply) {
        if (!CurrentUnitOfWork.isStarted()) {
            apply.accept(List.of(element));
            return;
        }
        UnitOfWork<?> batch = CurrentUnitOfWork.get().root();
        List<T> events = batch.getOrComputeResource(Batches.class.getName() + "." + key, name -> {
            List<T> collected = new ArrayList<>();
            batch.onPrepareCommit(committing -> apply.accept(collected));
            return collected;
        });
        events.add(element);
    }
}
