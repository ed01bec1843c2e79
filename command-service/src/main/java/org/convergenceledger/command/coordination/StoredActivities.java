package org.convergenceledger.command.coordination;

import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Component;

/** An activity exists once its proposal is in the event store. */
@Component
class StoredActivities implements ActivityDirectory {

    private final EventStore events;

    StoredActivities(EventStore events) {
        this.events = events;
    }

    @Override
    public boolean exists(String activityId) {
        return events.lastSequenceNumberFor(activityId).isPresent();
    }
}
