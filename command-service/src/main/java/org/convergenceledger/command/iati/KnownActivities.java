package org.convergenceledger.command.iati;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.convergenceledger.events.activity.ActivityProposed;
import org.convergenceledger.events.activity.ActivityRevised;
import org.convergenceledger.events.activity.PartnerJoined;
import org.convergenceledger.events.common.Partner;
import org.springframework.stereotype.Component;

/**
 * What the ledger holds of an activity an import names, read from its events in the store (not from the aggregate:
 * a read must not take its place in a group-commit lane): its version, its plan as last proposed or revised, its
 * partners. Whether a change is then allowed stays the aggregate's decision.
 */
@Component
class KnownActivities {

    record Known(long version, ImportedPlan plan, Set<Partner> partners) {
    }

    private final EventStore events;

    KnownActivities(EventStore events) {
        this.events = events;
    }

    Optional<Known> find(String activityId) {
        DomainEventStream stream = events.readEvents(activityId);
        ImportedPlan plan = null;
        Set<Partner> partners = new LinkedHashSet<>();
        long version = -1;
        while (stream.hasNext()) {
            DomainEventMessage<?> event = stream.next();
            version = event.getSequenceNumber();
            Object payload = event.getPayload();
            if (payload instanceof ActivityProposed proposed) {
                plan = ImportedPlan.of(proposed);
                partners.addAll(proposed.partners());
            } else if (payload instanceof ActivityRevised revised) {
                plan = ImportedPlan.of(revised);
            } else if (payload instanceof PartnerJoined joined) {
                partners.add(new Partner(joined.agency(), joined.role()));
            }
        }
        return plan == null ? Optional.empty() : Optional.of(new Known(version, plan, partners));
    }
}
