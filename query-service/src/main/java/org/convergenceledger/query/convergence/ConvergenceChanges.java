package org.convergenceledger.query.convergence;

import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.stereotype.Component;

/**
 * Gathers what one processed batch changed in the convergence view and hands it to the stream once the batch's
 * transaction has committed, so a dashboard that refreshes on the message reads the new state.
 */
@Component
public class ConvergenceChanges {

    private static final String KEY = ConvergenceChanges.class.getName();
    /** Set while a replay into private tables runs on this thread: its changes are nobody's news. */
    private static final ThreadLocal<Boolean> QUIET = ThreadLocal.withInitial(() -> false);

    /** Runs work whose view changes must not reach the stream (an auditor's independent replay). */
    public static <T> T quietly(Supplier<T> work) {
        QUIET.set(true);
        try {
            return work.get();
        } finally {
            QUIET.remove();
        }
    }

    /** What changed in one batch; the dashboard refreshes the parts it shows. */
    record Change(Set<String> activities, Set<String> axes, Set<String> regions, Set<String> agencies,
                  boolean pairsChanged) {
    }

    private final ConvergenceStream stream;

    ConvergenceChanges(ConvergenceStream stream) {
        this.stream = stream;
    }

    void record(ActivityScope scope, boolean pairsChanged) {
        if (QUIET.get()) {
            return;
        }
        if (!CurrentUnitOfWork.isStarted()) {
            stream.publish(new Change(Set.of(scope.id()), Set.copyOf(scope.axes()), Set.copyOf(scope.regions()),
                    Set.of(scope.leadAgency()), pairsChanged));
            return;
        }
        UnitOfWork<?> batch = CurrentUnitOfWork.get().root();
        Collected collected = batch.getOrComputeResource(KEY, key -> {
            Collected fresh = new Collected();
            batch.afterCommit(committed -> stream.publish(fresh.toChange()));
            return fresh;
        });
        collected.activities.add(scope.id());
        collected.axes.addAll(scope.axes());
        collected.regions.addAll(scope.regions());
        collected.agencies.add(scope.leadAgency());
        collected.pairsChanged |= pairsChanged;
    }

    private static final class Collected {
        final Set<String> activities = new TreeSet<>();
        final Set<String> axes = new TreeSet<>();
        final Set<String> regions = new TreeSet<>();
        final Set<String> agencies = new TreeSet<>();
        boolean pairsChanged;

        Change toChange() {
            return new Change(activities, axes, regions, agencies, pairsChanged);
        }
    }
}
