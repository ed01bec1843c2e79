package org.convergenceledger.events.activity;

import java.time.LocalDate;

/**
 * The date of the fact a command states or an event records: the step's own date for lifecycle steps (committed on,
 * started on…), the day it happened (occurredAt) for everything else — a proposal, a revision, a partner's answer.
 * What a closed reporting period guards, on the command side and in the read of corrections alike.
 */
public final class FactDates {

    private FactDates() {
    }

    public static LocalDate datedOn(Object commandOrEvent, LocalDate occurredOn) {
        LocalDate stated = null;
        if (commandOrEvent instanceof CommitActivity commit) {
            stated = commit.committedOn();
        } else if (commandOrEvent instanceof StartActivity start) {
            stated = start.startedOn();
        } else if (commandOrEvent instanceof SuspendActivity suspend) {
            stated = suspend.suspendedOn();
        } else if (commandOrEvent instanceof ResumeActivity resume) {
            stated = resume.resumedOn();
        } else if (commandOrEvent instanceof CompleteActivity complete) {
            stated = complete.completedOn();
        } else if (commandOrEvent instanceof CancelActivity cancel) {
            stated = cancel.cancelledOn();
        } else if (commandOrEvent instanceof ActivityCommitted committed) {
            stated = committed.committedOn();
        } else if (commandOrEvent instanceof ActivityStarted started) {
            stated = started.startedOn();
        } else if (commandOrEvent instanceof ActivitySuspended suspended) {
            stated = suspended.suspendedOn();
        } else if (commandOrEvent instanceof ActivityResumed resumed) {
            stated = resumed.resumedOn();
        } else if (commandOrEvent instanceof ActivityCompleted completed) {
            stated = completed.completedOn();
        } else if (commandOrEvent instanceof ActivityCancelled cancelled) {
            stated = cancelled.cancelledOn();
        }
        return stated != null ? stated : occurredOn;
    }
}
