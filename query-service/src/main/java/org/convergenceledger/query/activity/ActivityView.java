package org.convergenceledger.query.activity;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.convergenceledger.events.activity.ActivityCancelled;
import org.convergenceledger.events.activity.ActivityCommitted;
import org.convergenceledger.events.activity.ActivityCompleted;
import org.convergenceledger.events.activity.ActivityProposed;
import org.convergenceledger.events.activity.ActivityResumed;
import org.convergenceledger.events.activity.ActivityRevised;
import org.convergenceledger.events.activity.ActivityStarted;
import org.convergenceledger.events.activity.ActivitySuspended;
import org.convergenceledger.events.activity.PartnerJoined;
import org.convergenceledger.events.common.ActivityState;
import org.convergenceledger.events.common.Money;
import org.convergenceledger.events.common.Partner;
import org.convergenceledger.events.common.Period;
import org.convergenceledger.query.convergence.ActivityScope;
import org.convergenceledger.query.convergence.Contribution;

/** The current state of one activity, as the read side shows it; each event is one named transition. */
record ActivityView(
        String id,
        String leadAgency,
        String title,
        String description,
        ActivityState state,
        List<Partner> partners,
        List<String> axes,
        List<String> regions,
        List<String> targetGroups,
        Period plannedPeriod,
        Money plannedBudget,
        Money committedAmount,
        LocalDate committedOn,
        LocalDate startedOn,
        LocalDate completedOn,
        Money amountSpent,
        Long beneficiariesReached,
        LocalDate suspendedOn,
        LocalDate cancelledOn,
        String cancelReason,
        long version,
        long lastGlobalSequence,
        Instant updatedAt) {

    ActivityView {
        partners = List.copyOf(partners);
        axes = List.copyOf(axes);
        regions = List.copyOf(regions);
        targetGroups = List.copyOf(targetGroups);
    }

    static ActivityView proposed(ActivityProposed event) {
        return new ActivityView(event.activityId(), event.leadAgency(), event.title(), event.description(),
                ActivityState.PROPOSED, distinct(event.partners()), distinct(event.axes()),
                distinct(event.regions()), distinct(event.targetGroups()), event.plannedPeriod(),
                event.plannedBudget(), null, null, null, null, null, null, null, null, null, 0, 0, null);
    }

    ActivityView committed(ActivityCommitted event) {
        return new ActivityView(id, leadAgency, title, description, ActivityState.COMMITTED, partners, axes,
                regions, targetGroups, plannedPeriod, plannedBudget, event.committedAmount(), event.committedOn(),
                startedOn, completedOn, amountSpent, beneficiariesReached, suspendedOn, cancelledOn, cancelReason,
                version, lastGlobalSequence, updatedAt);
    }

    ActivityView started(ActivityStarted event) {
        return new ActivityView(id, leadAgency, title, description, ActivityState.STARTED, partners, axes,
                regions, targetGroups, plannedPeriod, plannedBudget, committedAmount, committedOn,
                event.startedOn(), completedOn, amountSpent, beneficiariesReached, suspendedOn, cancelledOn,
                cancelReason, version, lastGlobalSequence, updatedAt);
    }

    ActivityView suspended(ActivitySuspended event) {
        return new ActivityView(id, leadAgency, title, description, ActivityState.SUSPENDED, partners, axes,
                regions, targetGroups, plannedPeriod, plannedBudget, committedAmount, committedOn, startedOn,
                completedOn, amountSpent, beneficiariesReached, event.suspendedOn(), cancelledOn, cancelReason,
                version, lastGlobalSequence, updatedAt);
    }

    // Resuming clears the suspension: suspendedOn tells a reader the activity is on hold right now.
    ActivityView resumed(ActivityResumed event) {
        return new ActivityView(id, leadAgency, title, description, ActivityState.STARTED, partners, axes,
                regions, targetGroups, plannedPeriod, plannedBudget, committedAmount, committedOn, startedOn,
                completedOn, amountSpent, beneficiariesReached, null, cancelledOn, cancelReason,
                version, lastGlobalSequence, updatedAt);
    }

    ActivityView completed(ActivityCompleted event) {
        return new ActivityView(id, leadAgency, title, description, ActivityState.COMPLETED, partners, axes,
                regions, targetGroups, plannedPeriod, plannedBudget, committedAmount, committedOn, startedOn,
                event.completedOn(), event.amountSpent(), event.beneficiariesReached(), suspendedOn, cancelledOn,
                cancelReason, version, lastGlobalSequence, updatedAt);
    }

    ActivityView cancelled(ActivityCancelled event) {
        return new ActivityView(id, leadAgency, title, description, ActivityState.CANCELLED, partners, axes,
                regions, targetGroups, plannedPeriod, plannedBudget, committedAmount, committedOn, startedOn,
                completedOn, amountSpent, beneficiariesReached, suspendedOn, event.cancelledOn(), event.reason(),
                version, lastGlobalSequence, updatedAt);
    }

    // A revision carries the whole plan after the change and keeps the state.
    ActivityView revised(ActivityRevised event) {
        return new ActivityView(id, leadAgency, event.title(), event.description(), state, partners,
                distinct(event.axes()), distinct(event.regions()), distinct(event.targetGroups()),
                event.plannedPeriod(), event.plannedBudget(), committedAmount, committedOn, startedOn, completedOn,
                amountSpent, beneficiariesReached, suspendedOn, cancelledOn, cancelReason,
                version, lastGlobalSequence, updatedAt);
    }

    ActivityView partnerJoined(PartnerJoined event) {
        List<Partner> joined = new ArrayList<>(partners);
        joined.add(new Partner(event.agency(), event.role()));
        return new ActivityView(id, leadAgency, title, description, state, distinct(joined), axes, regions,
                targetGroups, plannedPeriod, plannedBudget, committedAmount, committedOn, startedOn, completedOn,
                amountSpent, beneficiariesReached, suspendedOn, cancelledOn, cancelReason,
                version, lastGlobalSequence, updatedAt);
    }

    ActivityView withPartners(List<Partner> declared) {
        return new ActivityView(id, leadAgency, title, description, state, declared, axes, regions, targetGroups,
                plannedPeriod, plannedBudget, committedAmount, committedOn, startedOn, completedOn, amountSpent,
                beneficiariesReached, suspendedOn, cancelledOn, cancelReason, version, lastGlobalSequence, updatedAt);
    }

    ActivityView at(long aggregateSequence, long globalSequence, Instant recordedAt) {
        return new ActivityView(id, leadAgency, title, description, state, partners, axes, regions, targetGroups,
                plannedPeriod, plannedBudget, committedAmount, committedOn, startedOn, completedOn, amountSpent,
                beneficiariesReached, suspendedOn, cancelledOn, cancelReason,
                aggregateSequence, globalSequence, recordedAt);
    }

    // A redelivered event is one this view has already moved past.
    boolean alreadyApplied(long aggregateSequence) {
        return aggregateSequence <= version;
    }

    // What this activity adds to the per-axis convergence summary; a cancelled activity's money no longer counts.
    /** Where, for whom, when and with whom: what the convergence view keeps of this activity. */
    ActivityScope scope() {
        Set<String> partnerAgencies = new LinkedHashSet<>();
        partners.forEach(partner -> partnerAgencies.add(partner.agency()));
        return ActivityScope.of(id, leadAgency, state, axes, regions, targetGroups,
                startedOn != null ? startedOn : plannedPeriod.start(),
                completedOn != null ? completedOn : plannedPeriod.end(), partnerAgencies);
    }

    Contribution contribution() {
        boolean moneyCounts = state != ActivityState.CANCELLED;
        return new Contribution(Set.copyOf(axes), state, leadAgency,
                moneyCounts ? plannedBudget : null,
                moneyCounts ? committedAmount : null,
                moneyCounts ? amountSpent : null);
    }

    private static <T> List<T> distinct(List<T> values) {
        return values == null ? List.of() : List.copyOf(new LinkedHashSet<>(values));
    }
}
