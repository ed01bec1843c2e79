package org.convergenceledger.query.system;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.springframework.stereotype.Component;

/**
 * Moves each projection's position for every event its processor receives — including those none of its handlers
 * takes and those already applied — so the complete prefix never waits on an event type a projection ignores.
 * One bean per processing group: Axon hands every event to each bean of the group.
 */
final class ProjectionProgress {

    private ProjectionProgress() {
    }

    @Component
    @ProcessingGroup(Projections.ACTIVITY_VIEW)
    static class ActivityView {

        private final ProjectionPosition position;

        ActivityView(ProjectionPosition position) {
            this.position = position;
        }

        @EventHandler
        void on(Object event, EventMessage<?> message) {
            position.advance(Projections.ACTIVITY_VIEW, LedgerEnvelope.of(message));
        }
    }

    @Component
    @ProcessingGroup(Projections.AUDIT_HISTORY)
    static class AuditHistory {

        private final ProjectionPosition position;

        AuditHistory(ProjectionPosition position) {
            this.position = position;
        }

        @EventHandler
        void on(Object event, EventMessage<?> message) {
            position.advance(Projections.AUDIT_HISTORY, LedgerEnvelope.of(message));
        }
    }
}
