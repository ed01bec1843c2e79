package org.convergenceledger.query.activity;

import java.util.function.UnaryOperator;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.convergenceledger.events.activity.ActivityCancelled;
import org.convergenceledger.events.activity.ActivityCommitted;
import org.convergenceledger.events.activity.ActivityCompleted;
import org.convergenceledger.events.activity.ActivityEvent;
import org.convergenceledger.events.activity.ActivityProposed;
import org.convergenceledger.events.activity.ActivityResumed;
import org.convergenceledger.events.activity.ActivityRevised;
import org.convergenceledger.events.activity.ActivityStarted;
import org.convergenceledger.events.activity.ActivitySuspended;
import org.convergenceledger.events.activity.PartnerJoined;
import org.convergenceledger.events.activity.PartnershipRequested;
import org.convergenceledger.query.convergence.Contribution;
import org.convergenceledger.query.convergence.ConvergenceIndex;
import org.convergenceledger.query.convergence.ConvergenceSummary;
import org.convergenceledger.query.system.LedgerEnvelope;
import org.convergenceledger.query.system.ProjectionRebuild;
import org.convergenceledger.query.system.Projections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Keeps activity_view and the convergence summary in step, in the transaction that also moves the processor's
 * token. Kafka delivers at least once: an event whose aggregate sequence the view has passed is skipped.
 */
@Component
@ProcessingGroup(Projections.ACTIVITY_VIEW)
class ActivityViewProjection {

    private static final Logger log = LoggerFactory.getLogger(ActivityViewProjection.class);

    private final ActivityViewRepository views;
    private final ConvergenceSummary summary;
    private final ConvergenceIndex index;
    private final ProjectionRebuild rebuild;

    ActivityViewProjection(ActivityViewRepository views, ConvergenceSummary summary, ConvergenceIndex index,
                           ProjectionRebuild rebuild) {
        this.views = views;
        this.summary = summary;
        this.index = index;
        this.rebuild = rebuild;
    }

    /** A replay starts from nothing: every table this processor writes is emptied first. */
    @ResetHandler
    void reset() {
        rebuild.emptyTablesOf(Projections.ACTIVITY_VIEW);
    }

    @EventHandler
    void on(ActivityProposed event, EventMessage<?> message) {
        LedgerEnvelope envelope = envelope(message);
        ActivityView view = ActivityView.proposed(event)
                .at(envelope.aggregateSequence(), envelope.globalSequence(), envelope.recordedAt());
        if (views.insertIfAbsent(view)) {
            summary.replace(Contribution.NONE, view.contribution());
            index.update(null, view.scope());
        } else {
            log.debug("Proposal of {} at global sequence {} already applied", event.activityId(),
                    envelope.globalSequence());
        }
    }

    @EventHandler
    void on(ActivityCommitted event, EventMessage<?> message) {
        apply(event, message, view -> view.committed(event));
    }

    @EventHandler
    void on(ActivityStarted event, EventMessage<?> message) {
        apply(event, message, view -> view.started(event));
    }

    @EventHandler
    void on(ActivitySuspended event, EventMessage<?> message) {
        apply(event, message, view -> view.suspended(event));
    }

    @EventHandler
    void on(ActivityResumed event, EventMessage<?> message) {
        apply(event, message, view -> view.resumed(event));
    }

    @EventHandler
    void on(ActivityCompleted event, EventMessage<?> message) {
        apply(event, message, view -> view.completed(event));
    }

    @EventHandler
    void on(ActivityCancelled event, EventMessage<?> message) {
        apply(event, message, view -> view.cancelled(event));
    }

    @EventHandler
    void on(ActivityRevised event, EventMessage<?> message) {
        apply(event, message, view -> view.revised(event));
    }

    @EventHandler
    void on(PartnerJoined event, EventMessage<?> message) {
        apply(event, message, view -> view.partnerJoined(event));
    }

    // Nothing the view shows changes until the lead accepts (a PartnerJoined); the version moves all the same.
    @EventHandler
    void on(PartnershipRequested event, EventMessage<?> message) {
        apply(event, message, view -> view);
    }

    private void apply(ActivityEvent event, EventMessage<?> message, UnaryOperator<ActivityView> transition) {
        LedgerEnvelope envelope = envelope(message);
        // Events of one activity share a partition, so its proposal always comes first; its absence is a fault.
        ActivityView current = views.findForUpdate(event.activityId()).orElseThrow(() -> new IllegalStateException(
                event.getClass().getSimpleName() + " at global sequence " + envelope.globalSequence()
                        + " for unknown activity " + event.activityId()));
        if (current.alreadyApplied(envelope.aggregateSequence())) {
            log.debug("{} of {} (sequence {}) already applied", event.getClass().getSimpleName(),
                    event.activityId(), envelope.aggregateSequence());
        } else {
            if (envelope.aggregateSequence() != current.version() + 1) {
                log.warn("Activity {} jumps from version {} to {} at global sequence {}: events are missing",
                        event.activityId(), current.version(), envelope.aggregateSequence(),
                        envelope.globalSequence());
            }
            ActivityView next = transition.apply(current)
                    .at(envelope.aggregateSequence(), envelope.globalSequence(), envelope.recordedAt());
            views.update(current, next);
            summary.replace(current.contribution(), next.contribution());
            index.update(current.scope(), next.scope());
        }
    }

    private static LedgerEnvelope envelope(EventMessage<?> message) {
        LedgerEnvelope envelope = LedgerEnvelope.of(message);
        if (!envelope.fromAggregate()) {
            throw new IllegalStateException("Activity event " + envelope.eventId() + " carries no aggregate id");
        }
        return envelope;
    }
}
