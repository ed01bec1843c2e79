package org.convergenceledger.events.activity;

/**
 * The last event of an identifier: the activity moved to newActivityId (led by newLeadAgency from then on). Its
 * history continues there, starting with an {@link ActivityMovedIn} chained to this event's hash.
 */
public record ActivityRekeyed(String activityId, String newActivityId, String newLeadAgency, String reason)
        implements ActivityEvent {
}
