package org.convergenceledger.events;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.convergenceledger.events.access.ApiKeyIssued;
import org.convergenceledger.events.access.ApiKeyRevoked;
import org.convergenceledger.events.activity.ActivityCancelled;
import org.convergenceledger.events.activity.ActivityCommitted;
import org.convergenceledger.events.activity.ActivityMovedIn;
import org.convergenceledger.events.activity.ActivityRekeyed;
import org.convergenceledger.events.activity.ActivityCompleted;
import org.convergenceledger.events.activity.ActivityProposed;
import org.convergenceledger.events.activity.ActivityResumed;
import org.convergenceledger.events.activity.ActivityRevised;
import org.convergenceledger.events.activity.ActivityStarted;
import org.convergenceledger.events.activity.ActivitySuspended;
import org.convergenceledger.events.activity.PartnerJoined;
import org.convergenceledger.events.activity.PartnershipConfirmed;
import org.convergenceledger.events.activity.PartnershipContested;
import org.convergenceledger.events.activity.PartnershipDeclined;
import org.convergenceledger.events.activity.PartnershipRequested;
import org.convergenceledger.events.agency.AgencyRegistered;
import org.convergenceledger.events.coordination.DuplicationDecided;
import org.convergenceledger.events.coordination.PeriodClosed;
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
            PartnerJoined.class,
            PartnershipRequested.class,
            PartnershipConfirmed.class,
            PartnershipContested.class,
            PartnershipDeclined.class,
            ActivityRekeyed.class,
            ActivityMovedIn.class,
            ApiKeyIssued.class,
            ApiKeyRevoked.class,
            DuplicationDecided.class,
            PeriodClosed.class);

    private static final Map<String, Class<? extends Record>> BY_NAME = new HashMap<>();

    static {
        ALL.forEach(type -> {
            BY_NAME.put(type.getName(), type);
            BY_NAME.put(type.getSimpleName(), type);
        });
    }

    private LedgerEvents() {
    }

    /** The contract's event type by class name or simple name, as stores and histories record it; never any other class. */
    public static Optional<Class<? extends Record>> named(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }
}
