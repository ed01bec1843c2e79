package org.convergenceledger.query.activity;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.convergenceledger.events.activity.ActivityCancelled;
import org.convergenceledger.events.activity.ActivityCommitted;
import org.convergenceledger.events.activity.ActivityCompleted;
import org.convergenceledger.events.activity.ActivityEvent;
import org.convergenceledger.events.activity.ActivityMovedIn;
import org.convergenceledger.events.activity.ActivityProposed;
import org.convergenceledger.events.activity.ActivityRekeyed;
import org.convergenceledger.events.activity.ActivityResumed;
import org.convergenceledger.events.activity.ActivityRevised;
import org.convergenceledger.events.activity.ActivityStarted;
import org.convergenceledger.events.activity.ActivitySuspended;
import org.convergenceledger.events.activity.PartnerJoined;
import org.convergenceledger.events.activity.PartnershipConfirmed;
import org.convergenceledger.events.activity.PartnershipContested;
import org.convergenceledger.events.activity.PartnershipDeclined;
import org.convergenceledger.events.activity.PartnershipRequested;
import org.convergenceledger.events.common.ActivityState;
import org.convergenceledger.events.common.Money;
import org.convergenceledger.events.common.Partner;
import org.convergenceledger.events.common.PartnerRole;
import org.convergenceledger.events.common.PartnershipStatus;
import org.convergenceledger.events.common.Period;
import org.convergenceledger.events.common.YearlyAmount;
import org.convergenceledger.query.convergence.ActivityScope;
import org.convergenceledger.query.convergence.Contribution;

/**
 * One activity as the read side shows it, made of small values so that each event's transition names only what it
 * changes: the plan (what, where, for whom, when, for how much), the commitment, the execution, a hold (suspension
 * or cancellation), the partners, the version (which event it is at), and where it moved, once it did.
 */
public record ActivityView(
        String id,
        String leadAgency,
        ActivityState state,
        Plan plan,
        List<Partnership> partners,
        Commitment commitment,
        Execution execution,
        Hold hold,
        Version version,
        String movedTo) {

    /** What the lead agency plans; a revision replaces it whole. budgetByYear: the budget's parts per year. */
    public record Plan(String title, String description, List<String> axes, List<String> regions,
                       List<String> targetGroups, Period period, Money budget, List<YearlyAmount> budgetByYear) {

        public Plan {
            axes = distinct(axes);
            regions = distinct(regions);
            targetGroups = distinct(targetGroups);
            budgetByYear = budgetByYear == null ? List.of() : List.copyOf(budgetByYear);
        }
    }

    /** Funds committed; null before the commitment. */
    public record Commitment(Money amount, LocalDate on) {
    }

    /** What actually happened: dates, spending, people reached. */
    public record Execution(LocalDate startedOn, LocalDate completedOn, Money amountSpent, Long beneficiariesReached) {

        static final Execution NONE = new Execution(null, null, null, null);
    }

    /** Why the activity stands still: suspended since, or cancelled on, for a reason. */
    public record Hold(LocalDate suspendedOn, LocalDate cancelledOn, String cancelReason) {

        static final Hold NONE = new Hold(null, null, null);
    }

    /**
     * One agency's part in the activity in one role, and where it stands: named by the lead (claimed, confirmed or
     * contested by the agency) or asked for by the agency (requested, or declined by the lead); the reason is the
     * contestation's or the refusal's.
     */
    public record Partnership(String agency, PartnerRole role, PartnershipStatus status, String reason) {

        static Partnership named(Partner partner) {
            return new Partnership(partner.agency(), partner.role(), PartnershipStatus.CLAIMED, null);
        }

        boolean is(String otherAgency, PartnerRole otherRole) {
            return agency.equals(otherAgency) && role == otherRole;
        }
    }

    /** The event the view is at: its place in the activity's stream and in the ledger, and when it was recorded. */
    public record Version(long sequence, long globalSequence, Instant recordedAt) {
    }

    public ActivityView {
        partners = List.copyOf(partners);
    }

    static ActivityView proposed(ActivityProposed event) {
        return new ActivityView(event.activityId(), event.leadAgency(), ActivityState.PROPOSED,
                new Plan(event.title(), event.description(), event.axes(), event.regions(), event.targetGroups(),
                        event.plannedPeriod(), event.plannedBudget(), event.plannedBudgetByYear()),
                distinct(event.partners()).stream().map(Partnership::named).toList(), null, Execution.NONE, Hold.NONE,
                new Version(0, 0, null), null);
    }

    /** A moved activity's first view under its new identifier: everything it was when it left the old one. */
    static ActivityView movedIn(ActivityMovedIn event) {
        return new ActivityView(event.activityId(), event.leadAgency(), event.state(),
                new Plan(event.title(), event.description(), event.axes(), event.regions(), event.targetGroups(),
                        event.plannedPeriod(), event.plannedBudget(), event.plannedBudgetByYear()),
                event.partners().stream().map(standing -> new Partnership(standing.agency(), standing.role(),
                        standing.status(), standing.reason())).toList(),
                event.committedAmount() == null && event.committedOn() == null ? null
                        : new Commitment(event.committedAmount(), event.committedOn()),
                new Execution(event.startedOn(), event.completedOn(), event.amountSpent(), event.beneficiariesReached()),
                new Hold(event.suspendedOn(), event.cancelledOn(), event.cancelReason()), new Version(0, 0, null),
                null);
    }

    /** The first view of an activity's stream: its proposal, or its arrival from the identifier it moved from. */
    static ActivityView first(ActivityEvent event) {
        if (event instanceof ActivityProposed proposed) {
            return proposed(proposed);
        }
        if (event instanceof ActivityMovedIn movedIn) {
            return movedIn(movedIn);
        }
        throw new IllegalStateException("the history of " + event.activityId() + " starts with "
                + event.getClass().getSimpleName() + ", neither a proposal nor a move");
    }

    /** The view after one more event of this activity (never its proposal). */
    ActivityView then(ActivityEvent event) {
        if (event instanceof ActivityCommitted committed) {
            return in(ActivityState.COMMITTED).with(new Commitment(committed.committedAmount(),
                    committed.committedOn()));
        } else if (event instanceof ActivityStarted started) {
            return in(ActivityState.STARTED).with(new Execution(started.startedOn(), execution.completedOn(),
                    execution.amountSpent(), execution.beneficiariesReached()));
        } else if (event instanceof ActivitySuspended suspended) {
            return in(ActivityState.SUSPENDED).with(new Hold(suspended.suspendedOn(), hold.cancelledOn(),
                    hold.cancelReason()));
        } else if (event instanceof ActivityResumed) {
            // Resuming clears the suspension: suspendedOn tells a reader the activity is on hold right now.
            return in(ActivityState.STARTED).with(new Hold(null, hold.cancelledOn(), hold.cancelReason()));
        } else if (event instanceof ActivityCompleted completed) {
            return in(ActivityState.COMPLETED).with(new Execution(execution.startedOn(), completed.completedOn(),
                    completed.amountSpent(), completed.beneficiariesReached()));
        } else if (event instanceof ActivityCancelled cancelled) {
            return in(ActivityState.CANCELLED).with(new Hold(hold.suspendedOn(), cancelled.cancelledOn(),
                    cancelled.reason()));
        } else if (event instanceof ActivityRevised revised) {
            // A revision carries the whole plan after the change and keeps the state.
            return with(new Plan(revised.title(), revised.description(), revised.axes(), revised.regions(),
                    revised.targetGroups(), revised.plannedPeriod(), revised.plannedBudget(),
                    revised.plannedBudgetByYear()));
        } else if (event instanceof PartnerJoined joined) {
            // Naming an agency that asked for that role answers its request: confirmed, both sides have spoken.
            boolean asked = partners.stream().anyMatch(partner -> partner.is(joined.agency(), joined.role())
                    && partner.status() == PartnershipStatus.REQUESTED);
            return withPartnership(new Partnership(joined.agency(), joined.role(),
                    asked ? PartnershipStatus.CONFIRMED : PartnershipStatus.CLAIMED, null));
        } else if (event instanceof PartnershipRequested requested) {
            return withPartnership(new Partnership(requested.agency(), requested.role(), PartnershipStatus.REQUESTED,
                    null));
        } else if (event instanceof PartnershipDeclined declined) {
            return withPartnership(new Partnership(declined.agency(), declined.role(), PartnershipStatus.DECLINED,
                    declined.reason()));
        } else if (event instanceof PartnershipConfirmed confirmed) {
            ActivityView next = this;
            for (PartnerRole role : confirmed.roles()) {
                next = next.withPartnership(new Partnership(confirmed.agency(), role, PartnershipStatus.CONFIRMED,
                        null));
            }
            return next;
        } else if (event instanceof ActivityRekeyed rekeyed) {
            // The identifier's last fact: the activity goes on under the new one and no longer counts here.
            return new ActivityView(id, leadAgency, state, plan, partners, commitment, execution, hold, version,
                    rekeyed.newActivityId());
        } else if (event instanceof PartnershipContested contested) {
            ActivityView next = this;
            for (PartnerRole role : contested.roles()) {
                next = next.withPartnership(new Partnership(contested.agency(), role, PartnershipStatus.CONTESTED,
                        contested.reason()));
            }
            return next;
        }
        throw new IllegalStateException("a second proposal of " + event.activityId());
    }

    ActivityView in(ActivityState next) {
        return new ActivityView(id, leadAgency, next, plan, partners, commitment, execution, hold, version, movedTo);
    }

    ActivityView with(Plan next) {
        return new ActivityView(id, leadAgency, state, next, partners, commitment, execution, hold, version, movedTo);
    }

    ActivityView with(Commitment next) {
        return new ActivityView(id, leadAgency, state, plan, partners, next, execution, hold, version, movedTo);
    }

    ActivityView with(Execution next) {
        return new ActivityView(id, leadAgency, state, plan, partners, commitment, next, hold, version, movedTo);
    }

    ActivityView with(Hold next) {
        return new ActivityView(id, leadAgency, state, plan, partners, commitment, execution, next, version, movedTo);
    }

    ActivityView with(Version next) {
        return new ActivityView(id, leadAgency, state, plan, partners, commitment, execution, hold, next, movedTo);
    }

    /** The partnership of that agency in that role replaced by this one (or added). */
    ActivityView withPartnership(Partnership next) {
        List<Partnership> more = new ArrayList<>(partners.size() + 1);
        partners.stream().filter(partner -> !partner.is(next.agency(), next.role())).forEach(more::add);
        more.add(next);
        return new ActivityView(id, leadAgency, state, plan, more, commitment, execution, hold, version, movedTo);
    }

    // A redelivered event is one this view has already moved past.
    boolean alreadyApplied(long aggregateSequence) {
        return aggregateSequence <= version.sequence();
    }

    /** Partnerships in a stable order (agency, then role), as they are stored and compared. */
    List<Partnership> sortedPartners() {
        List<Partnership> sorted = new ArrayList<>(partners);
        sorted.sort(Comparator.comparing(Partnership::agency).thenComparing(partner ->
                partner.role() == null ? "" : partner.role().name()));
        return sorted;
    }

    /** The partnerships the lead named (claimed, confirmed or contested), in stable order. */
    List<Partnership> namedPartners() {
        return sortedPartners().stream().filter(partner -> partner.status().named()).toList();
    }

    /** Actual start once known, planned start before. */
    LocalDate effectiveStart() {
        return execution.startedOn() != null ? execution.startedOn() : plan.period().start();
    }

    /** Actual completion once known, planned end before. */
    LocalDate effectiveEnd() {
        return execution.completedOn() != null ? execution.completedOn() : plan.period().end();
    }

    /** Where, for whom, when and with whom (confirmed partners only): what the duplication rules compare. */
    ActivityScope scope() {
        Set<String> partnerAgencies = new TreeSet<>();
        partners.stream().filter(partner -> partner.status() == PartnershipStatus.CONFIRMED)
                .forEach(partner -> partnerAgencies.add(partner.agency()));
        return ActivityScope.of(id, leadAgency, state, plan.axes(), plan.regions(), plan.targetGroups(),
                effectiveStart(), effectiveEnd(), partnerAgencies, movedTo != null);
    }

    /** What the activity adds to the convergence counters: nothing once it moved to another identifier. */
    Contribution contribution() {
        if (movedTo != null) {
            return null;
        }
        return new Contribution(leadAgency, state, plan.axes(), plan.regions(), plan.targetGroups(),
                plan.budget(), commitment == null ? null : commitment.amount(),
                commitment == null ? null : commitment.on(), execution.startedOn(), execution.completedOn(),
                execution.amountSpent(), execution.beneficiariesReached());
    }

    private static <T> List<T> distinct(List<T> values) {
        return values == null ? List.of() : List.copyOf(new LinkedHashSet<>(values));
    }
}
