package org.convergenceledger.events;

import java.util.List;
import org.convergenceledger.events.activity.ActivityCancelled;
import org.convergenceledger.events.activity.ActivityCommitted;
import org.convergenceledger.events.activity.ActivityCompleted;
import org.convergenceledger.events.activity.ActivityProposed;
import org.convergenceledger.events.activity.ActivityResumed;
import org.convergenceledger.events.activity.ActivityRevised;
import org.convergenceledger.events.activity.ActivityStarted;
import org.convergenceledger.events.activity.ActivitySuspended;
import org.convergenceledger.events.activity.PartnerJoined;
import org.convergenceledger.events.agency.AgencyRegistered;
import org.convergenceledger.events.axis.AxisDefined;

/** The event types of the published contract: each has a golden JSON file that pins its encoding. */
public final class LedgerEvents {

    public static final List<Class<? extends Record>> ALL = List.of(
            AgencyRegistered.class,
            AxisDefined.class,
            ActivityProposed.class,
            ActivityCommitted.class,
            ActivityStarted.class,
            ActivityCompleted.class,
            ActivityRevised.class,
            ActivitySuspended.class,
            ActivityResumed.class,
            ActivityCancelled.class,
            PartnerJoined.class);

    private LedgerEvents() {
    }
}
