package org.convergenceledger.query.convergence;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.stereotype.Component;

/**
 * Tells the stream what one applied batch changed in the convergence view, once the batch's transaction has
 * committed, so that a dashboard that refreshes on the message reads the new state.
 */
@Component
public class ConvergenceChanges {

    /** What changed in one batch; the dashboard refreshes the parts it shows. */
    record Change(Set<String> activities, Set<String> axes, Set<String> regions, Set<String> agencies,
                  boolean pairsChanged) {
    }

    private final ConvergenceStream stream;

    ConvergenceChanges(ConvergenceStream stream) {
        this.stream = stream;
    }

    public void record(List<ActivityChange> batch, boolean pairsChanged) {
        Set<String> activities = new TreeSet<>();
        Set<String> axes = new TreeSet<>();
        Set<String> regions = new TreeSet<>();
        Set<String> agencies = new TreeSet<>();
        for (ActivityChange change : batch) {
            activities.add(change.activityId());
            for (Contribution contribution : new Contribution[] {change.before(), change.after()}) {
                if (contribution != null) {
                    axes.addAll(contribution.axes());
                    regions.addAll(contribution.regions());
                    agencies.add(contribution.leadAgency());
                }
            }
        }
        Change change = new Change(activities, axes, regions, agencies, pairsChanged);
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().root().afterCommit(committed -> stream.publish(change));
        } else {
            stream.publish(change);
        }
    }
}
