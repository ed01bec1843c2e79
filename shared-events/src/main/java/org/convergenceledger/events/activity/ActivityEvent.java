package org.convergenceledger.events.activity;

/** Every fact about one activity; the activity id is also the Kafka key and the Axon aggregate id. */
public sealed interface ActivityEvent permits
        ActivityProposed,
        ActivityCommitted,
        ActivityStarted,
        ActivityCompleted,
        ActivityRevised,
        ActivitySuspended,
        ActivityResumed,
        ActivityCancelled,
        PartnerJoined,
        PartnershipRequested,
        PartnershipConfirmed,
        PartnershipContested,
        PartnershipDeclined,
        ActivityRekeyed,
        ActivityMovedIn {

    String activityId();
}
