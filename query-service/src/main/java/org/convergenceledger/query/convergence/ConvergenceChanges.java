package org.convergenceledger.query.convergence;

import java.util.Set;
import java.util.TreeSet;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.stereotype.Component;

/**
 * Gathers what one processed batch changed in the convergence view and hands it to the stream once the batch's
 * transaction has committed, so a dashboard that refreshes on the message reads the new state.
 */
@Component
class ConvergenceChanges {

    private static final String KEY = ConvergenceChanges.class.getName();

    /** What changed in one batch; the dashboard refreshes the parts it shows. */
    record Change(Set<String> activities, Set<String> axes, Set<String> regions, Set<String> agencies,
                  boolean pairsChanged) {
    }

    private final ConvergenceStream stream;

    ConvergenceChanges(ConvergenceStream stream) {
        this.stream = stream;
    }

    void record(ActivityScope scope, boolean pairsChanged) {
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
