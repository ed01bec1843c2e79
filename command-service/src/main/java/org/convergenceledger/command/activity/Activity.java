package org.convergenceledger.command.activity;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;
import static org.convergenceledger.events.common.ActivityState.CANCELLED;
import static org.convergenceledger.events.common.ActivityState.COMMITTED;
import static org.convergenceledger.events.common.ActivityState.COMPLETED;
import static org.convergenceledger.events.common.ActivityState.PROPOSED;
import static org.convergenceledger.events.common.ActivityState.STARTED;
import static org.convergenceledger.events.common.ActivityState.SUSPENDED;
import static org.convergenceledger.events.common.PartnerRole.ACCOUNTABLE;
import static org.convergenceledger.events.common.PartnerRole.EXTENDING;
import static org.convergenceledger.events.common.PartnerRole.FUNDING;
import static org.convergenceledger.events.common.PartnerRole.IMPLEMENTING;
import static org.convergenceledger.events.common.PartnershipStatus.CONFIRMED;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateLifecycle;
import org.axonframework.modelling.command.CommandHandlerInterceptor;
import org.axonframework.spring.stereotype.Aggregate;
import org.convergenceledger.command.coordination.ActivityDirectory;
import org.convergenceledger.command.coordination.ClosedPeriods;
import org.convergenceledger.command.registry.Registry;
import org.convergenceledger.command.system.CommandTargets;
import org.convergenceledger.command.system.NotPermitted;
import org.convergenceledger.command.system.TransitionRefused;
import org.convergenceledger.command.system.Violations;
import org.convergenceledger.events.LedgerMetadata;
import org.convergenceledger.events.activity.AcceptPartnership;
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
import org.convergenceledger.events.activity.AddPartner;
import org.convergenceledger.events.activity.CancelActivity;
import org.convergenceledger.events.activity.CommitActivity;
import org.convergenceledger.events.activity.CompleteActivity;
import org.convergenceledger.events.activity.ConfirmPartnership;
import org.convergenceledger.events.activity.ContestPartnership;
import org.convergenceledger.events.activity.DeclinePartnership;
import org.convergenceledger.events.activity.FactDates;
import org.convergenceledger.events.activity.PartnerJoined;
import org.convergenceledger.events.activity.PartnershipConfirmed;
import org.convergenceledger.events.activity.PartnershipContested;
import org.convergenceledger.events.activity.PartnershipDeclined;
import org.convergenceledger.events.activity.PartnershipRequested;
import org.convergenceledger.events.activity.ProposeActivity;
import org.convergenceledger.events.activity.RekeyActivity;
import org.convergenceledger.events.activity.RequestPartnership;
import org.convergenceledger.events.activity.ResumeActivity;
import org.convergenceledger.events.activity.ReviseActivity;
import org.convergenceledger.events.activity.StartActivity;
import org.convergenceledger.events.activity.SuspendActivity;
import org.convergenceledger.events.common.ActivityState;
import org.convergenceledger.events.common.BudgetSplit;
import org.convergenceledger.events.common.Money;
import org.convergenceledger.events.common.Partner;
import org.convergenceledger.events.common.PartnerRole;
import org.convergenceledger.events.common.PartnerStanding;
import org.convergenceledger.events.common.PartnershipStatus;
import org.convergenceledger.events.common.YearlyAmount;

/**
 * The rulebook of one activity: PROPOSED → COMMITTED → STARTED → COMPLETED, SUSPENDED ⇄ STARTED, CANCELLED from
 * any state before COMPLETED, revisions keep the state. Each handler checks its rules and applies one event; each
 * event-sourcing handler only assigns. Handlers of existing activities return the version after the change.
 */
@Aggregate(cache = "activityCache", commandTargetResolver = CommandTargets.BEAN)
class Activity {

    @AggregateIdentifier
    private String activityId;
    private String leadAgency;
    private ActivityState state;
    private Plan plan;
    private Money committedAmount;
    /** The partners the lead named, and what each said of it: only CONFIRMED ones act in their role. */
    private final Map<Partner, PartnershipStatus> partners = new LinkedHashMap<>();
    // Pending requests to join, until the lead accepts or declines them.
    private final List<Partner> requests = new ArrayList<>();
    /** The latest date stated by a lifecycle event: later transitions may not be dated before it. */
    private LocalDate lastLifecycleDate;
    /** What happened, kept so that a move can carry the whole activity to its new identifier. */
    private Record record = Record.NONE;
    /** The contestations' reasons, carried by a move like the statuses they explain. */
    private final Map<Partner, String> contestations = new LinkedHashMap<>();
    /** Set once the activity moved to another identifier: this one then refuses every command. */
    private String movedTo;
    private long version;

    Activity() {
    }

    @CommandHandler
    Activity(ProposeActivity command, Registry registry, ClosedPeriods periods,
             @MetaDataValue(LedgerMetadata.RECORDED_BY) String actor,
             @MetaDataValue(LedgerMetadata.OCCURRED_AT) String occurredAt,
             @MetaDataValue(LedgerMetadata.CORRECTION_REASON) String correctionReason) {
        if (command.leadAgency() != null && !command.leadAgency().equals(actor)) {
            throw new NotPermitted(actor + " may not propose an activity led by " + command.leadAgency());
        }
        ActivityRules.checkPeriod(periods, command.leadAgency(), command.activityId(), null,
                ActivityRules.dayOf(occurredAt), correctionReason);
        Violations violations = new Violations()
                .require(command.activityId() != null && command.activityId().matches(ActivityRules.ID_PATTERN),
                        "activityId", "must read AGENCY:local-ref (capitals, digits, _ then letters, digits, . _ -)")
                .require(command.leadAgency() != null && registry.isRegisteredAgency(command.leadAgency()),
                        "leadAgency", "must be a registered agency")
                .require(command.activityId() == null || command.leadAgency() == null
                                || command.activityId().startsWith(command.leadAgency() + ":"),
                        "activityId", "must start with the lead agency's code and a colon");
        Plan given = new Plan(command.title(), command.description(), command.axes(), command.regions(),
                command.targetGroups(), command.plannedPeriod(), command.plannedBudget(),
                command.plannedBudgetByYear());
        ActivityRules.checkPlan(given, registry, violations);
        ActivityRules.checkPartners(command.partners(), command.leadAgency(), registry, violations);
        violations.throwIfAny();
        Plan proposed = given.splitByYear();
        apply(new ActivityProposed(command.activityId(), command.leadAgency(), proposed.title(),
                proposed.description(), proposed.axes(), proposed.regions(), proposed.targetGroups(),
                proposed.plannedPeriod(), proposed.plannedBudget(), proposed.plannedBudgetByYear(),
                command.partners() == null ? List.of() : List.copyOf(command.partners())));
    }

    /**
     * Before any command on an existing activity: an identifier the activity moved away from takes none (the problem
     * names where it went); and a closed reporting period stays closed — the date of the fact the command states (a
     * step's own date, else the day it happened) is checked against the periods closed for the lead agency.
     */
    @CommandHandlerInterceptor
    void beforeEveryCommand(Object command, ClosedPeriods periods,
                            @MetaDataValue(LedgerMetadata.OCCURRED_AT) String occurredAt,
                            @MetaDataValue(LedgerMetadata.CORRECTION_REASON) String correctionReason) {
        if (movedTo != null) {
            throw new ActivityMoved(activityId, movedTo);
        }
        ActivityRules.checkPeriod(periods, leadAgency, activityId, state.name(),
                FactDates.datedOn(command, ActivityRules.dayOf(occurredAt)), correctionReason);
    }

    /**
     * The lead moves the activity to another identifier: a typo fixed, or a transfer to the agency the new
     * identifier names (which must be registered, and stops being a partner if it was one). The old stream ends
     * with ActivityRekeyed; a new stream starts, in the same transaction, with ActivityMovedIn carrying everything
     * the activity is, its hash chained to the old stream's last (see HashChain).
     */
    @CommandHandler
    long handle(RekeyActivity command, Registry registry, ActivityDirectory activities,
                @MetaDataValue(LedgerMetadata.RECORDED_BY) String actor) throws Exception {
        requireActor(actor, "move");
        String newId = command.newActivityId();
        Violations violations = new Violations()
                .require(newId != null && newId.matches(ActivityRules.ID_PATTERN), "newActivityId",
                        "must read AGENCY:local-ref (capitals, digits, _ then letters, digits, . _ -)");
        if (!violations.hasViolationOn("newActivityId")) {
            String newLead = newId.substring(0, newId.indexOf(':'));
            violations
                    .require(!newId.equals(activityId), "newActivityId", "must differ from the current identifier")
                    .require(registry.isRegisteredAgency(newLead), "newActivityId",
                            "must start with a registered agency's code: " + newLead + " is not one")
                    .require(!activities.exists(newId), "newActivityId", newId + " is already taken");
        }
        requireReason(command.reason());
        violations.throwIfAny();
        String newLead = newId.substring(0, newId.indexOf(':'));
        apply(new ActivityRekeyed(activityId, newId, newLead, command.reason()));
        ActivityMovedIn movedIn = movedInAs(newId, newLead, command.reason());
        AggregateLifecycle.createNew(Activity.class, () -> new Activity(movedIn));
        return version;
    }

    /** The new identifier's first fact: the whole activity, under its (maybe new) lead. */
    private ActivityMovedIn movedInAs(String newId, String newLead, String reason) {
        List<PartnerStanding> standings = new ArrayList<>();
        partners.forEach((partner, status) -> {
            if (!partner.agency().equals(newLead)) {
                standings.add(new PartnerStanding(partner.agency(), partner.role(), status,
                        contestations.get(partner)));
            }
        });
        requests.stream().filter(partner -> !partner.agency().equals(newLead)).forEach(partner ->
                standings.add(new PartnerStanding(partner.agency(), partner.role(), PartnershipStatus.REQUESTED,
                        null)));
        return new ActivityMovedIn(newId, activityId, newLead, state, plan.title(), plan.description(), plan.axes(),
                plan.regions(), plan.targetGroups(), plan.plannedPeriod(), plan.plannedBudget(),
                plan.plannedBudgetByYear(), standings,
                committedAmount, record.committedOn(), record.startedOn(), record.completedOn(), record.amountSpent(),
                record.beneficiariesReached(), record.suspendedOn(), record.cancelledOn(), record.cancelReason(),
                reason);
    }

    /** The aggregate a move creates: its first event is everything the activity was. */
    private Activity(ActivityMovedIn movedIn) {
        apply(movedIn);
    }

    @CommandHandler
    long handle(CommitActivity command, @MetaDataValue(LedgerMetadata.RECORDED_BY) String actor) {
        requireActor(actor, "commit", FUNDING, EXTENDING);
        requireState("commit", EnumSet.of(PROPOSED));
        new Violations()
                .require(ActivityRules.isAmount(command.committedAmount()), "committedAmount",
                        "must be a non-negative amount in an ISO 4217 currency")
                .require(command.committedAmount() == null || command.committedAmount().currency() == null
                                || command.committedAmount().sameCurrencyAs(plan.plannedBudget()),
                        "committedAmount.currency", "must be the planned budget's currency, "
                                + plan.plannedBudget().currency())
                .require(command.committedOn() != null, "committedOn", "must be given")
                .throwIfAny();
        apply(new ActivityCommitted(activityId, command.committedAmount(), command.committedOn()));
        return version;
    }

    @CommandHandler
    long handle(StartActivity command, @MetaDataValue(LedgerMetadata.RECORDED_BY) String actor) {
        requireActor(actor, "start", IMPLEMENTING);
        requireState("start", EnumSet.of(COMMITTED));
        requireDateInOrder("startedOn", command.startedOn());
        apply(new ActivityStarted(activityId, command.startedOn()));
        return version;
    }

    @CommandHandler
    long handle(SuspendActivity command, @MetaDataValue(LedgerMetadata.RECORDED_BY) String actor) {
        requireActor(actor, "suspend", IMPLEMENTING);
        requireState("suspend", EnumSet.of(STARTED));
        requireDateInOrder("suspendedOn", command.suspendedOn());
        requireReason(command.reason());
        apply(new ActivitySuspended(activityId, command.suspendedOn(), command.reason()));
        return version;
    }

    @CommandHandler
    long handle(ResumeActivity command, @MetaDataValue(LedgerMetadata.RECORDED_BY) String actor) {
        requireActor(actor, "resume", IMPLEMENTING);
        requireState("resume", EnumSet.of(SUSPENDED));
        requireDateInOrder("resumedOn", command.resumedOn());
        apply(new ActivityResumed(activityId, command.resumedOn()));
        return version;
    }

    @CommandHandler
    long handle(CompleteActivity command, @MetaDataValue(LedgerMetadata.RECORDED_BY) String actor) {
        requireActor(actor, "complete", IMPLEMENTING);
        requireState("complete", EnumSet.of(STARTED));
        Violations violations = new Violations();
        ActivityRules.checkDateInOrder("completedOn", command.completedOn(), lastLifecycleDate, violations);
        violations
                .require(ActivityRules.isAmount(command.amountSpent()), "amountSpent",
                        "must be a non-negative amount in an ISO 4217 currency")
                .require(command.amountSpent() == null || command.amountSpent().currency() == null
                                || command.amountSpent().sameCurrencyAs(committedAmount),
                        "amountSpent.currency", "must be the committed amount's currency, "
                                + committedAmount.currency())
                .require(command.beneficiariesReached() >= 0, "beneficiariesReached", "must not be negative")
                .throwIfAny();
        apply(new ActivityCompleted(activityId, command.completedOn(), command.amountSpent(),
                command.beneficiariesReached()));
        return version;
    }

    @CommandHandler
    long handle(CancelActivity command, @MetaDataValue(LedgerMetadata.RECORDED_BY) String actor) {
        requireActor(actor, "cancel", ACCOUNTABLE);
        requireState("cancel", EnumSet.of(PROPOSED, COMMITTED, STARTED, SUSPENDED));
        requireDateInOrder("cancelledOn", command.cancelledOn());
        requireReason(command.reason());
        apply(new ActivityCancelled(activityId, command.cancelledOn(), command.reason()));
        return version;
    }

    @CommandHandler
    long handle(ReviseActivity command, Registry registry, @MetaDataValue(LedgerMetadata.RECORDED_BY) String actor) {
        requireActor(actor, "revise", ACCOUNTABLE);
        requireState("revise", EnumSet.of(PROPOSED, COMMITTED, STARTED, SUSPENDED));
        Plan given = plan.revisedWith(command);
        Violations violations = new Violations();
        ActivityRules.checkPlan(given, registry, violations);
        Plan revised = given.splitByYear();
        violations
                .require(committedAmount == null || revised.plannedBudget() == null
                                || revised.plannedBudget().sameCurrencyAs(committedAmount),
                        "plannedBudget.currency", "cannot change once an amount is committed")
                .require(!revised.equals(plan), "revision", "changes nothing")
                .require(command.reason() != null && !command.reason().isBlank(), "reason", "must be given")
                .throwIfAny();
        apply(new ActivityRevised(activityId, revised.title(), revised.description(), revised.axes(),
                revised.regions(), revised.targetGroups(), revised.plannedPeriod(), revised.plannedBudget(),
                revised.plannedBudgetByYear(), command.reason()));
        return version;
    }

    @CommandHandler
    long handle(AddPartner command, Registry registry, @MetaDataValue(LedgerMetadata.RECORDED_BY) String actor) {
        requireActor(actor, "add a partner to");
        requireState("add a partner to", EnumSet.of(PROPOSED, COMMITTED, STARTED, SUSPENDED));
        Violations violations = new Violations();
        ActivityRules.checkPartners(List.of(new Partner(command.agency(), command.role())), leadAgency, registry,
                violations);
        violations.throwIfAny();
        Partner named = new Partner(command.agency(), command.role());
        if (partners.containsKey(named)) {
            throw new TransitionRefused("already-a-partner", state.name(),
                    command.agency() + " is already named as a partner of " + activityId + " as " + command.role()
                            + " (" + partners.get(named) + ")");
        }
        // Naming an agency that asked for that very role answers its request: both sides have then spoken.
        apply(new PartnerJoined(activityId, command.agency(), command.role()));
        return version;
    }

    /** Another agency asks to take part; it becomes a partner only when the lead accepts. */
    @CommandHandler
    long handle(RequestPartnership command, Registry registry, @MetaDataValue(LedgerMetadata.RECORDED_BY) String actor) {
        if (command.agency() != null && !command.agency().equals(actor)) {
            throw new NotPermitted(actor + " may not ask to join " + activityId + " for " + command.agency());
        }
        requireState("ask to join", EnumSet.of(PROPOSED, COMMITTED, STARTED, SUSPENDED));
        Violations violations = new Violations();
        ActivityRules.checkPartners(List.of(new Partner(command.agency(), command.role())), leadAgency, registry,
                violations);
        violations.throwIfAny();
        Partner asked = new Partner(command.agency(), command.role());
        if (partners.containsKey(asked)) {
            throw new TransitionRefused("already-a-partner", state.name(),
                    command.agency() + " is already named as a partner of " + activityId + " as " + command.role()
                            + " (" + partners.get(asked) + ")"
                            + (partners.get(asked) == CONFIRMED ? "" : "; answer the claim with a confirmation"));
        }
        if (requests.contains(asked)) {
            throw new TransitionRefused("already-requested", state.name(),
                    command.agency() + " has already asked to join " + activityId + " as " + command.role());
        }
        apply(new PartnershipRequested(activityId, command.agency(), command.role()));
        return version;
    }

    /** The lead accepts a pending request: the same fact as naming the partner, confirmed since the partner asked. */
    @CommandHandler
    long handle(AcceptPartnership command, @MetaDataValue(LedgerMetadata.RECORDED_BY) String actor) {
        requireActor(actor, "accept partners of");
        requireState("accept a partner of", EnumSet.of(PROPOSED, COMMITTED, STARTED, SUSPENDED));
        if (!requests.contains(new Partner(command.agency(), command.role()))) {
            throw new TransitionRefused("no-such-request", state.name(),
                    command.agency() + " has no pending request to join " + activityId + " as " + command.role());
        }
        apply(new PartnerJoined(activityId, command.agency(), command.role()));
        return version;
    }

    /** The lead refuses a pending request, and says why; the agency may ask again later. */
    @CommandHandler
    long handle(DeclinePartnership command, @MetaDataValue(LedgerMetadata.RECORDED_BY) String actor) {
        requireActor(actor, "decline partners of");
        if (!requests.contains(new Partner(command.agency(), command.role()))) {
            throw new TransitionRefused("no-such-request", state.name(),
                    command.agency() + " has no pending request to join " + activityId + " as " + command.role());
        }
        requireReason(command.reason());
        apply(new PartnershipDeclined(activityId, command.agency(), command.role(), command.reason()));
        return version;
    }

    /**
     * The named agency agrees to the partnership the lead claimed, in every role it has not confirmed yet or in
     * those it lists. A contested claim may still be confirmed: an agency may correct its own answer. Any state,
     * completed and cancelled included: who took part is part of the record even after the work ended.
     */
    @CommandHandler
    long handle(ConfirmPartnership command, @MetaDataValue(LedgerMetadata.RECORDED_BY) String actor) {
        requireNamedAgency(actor, command.agency(), "confirm");
        List<PartnerRole> roles = answeredRoles(command.agency(), command.roles(),
                EnumSet.of(PartnershipStatus.CLAIMED, PartnershipStatus.CONTESTED), "confirm");
        apply(new PartnershipConfirmed(activityId, command.agency(), roles));
        return version;
    }

    /** The named agency disputes a claim it has not answered yet, and says why. */
    @CommandHandler
    long handle(ContestPartnership command, @MetaDataValue(LedgerMetadata.RECORDED_BY) String actor) {
        requireNamedAgency(actor, command.agency(), "contest");
        List<PartnerRole> roles = answeredRoles(command.agency(), command.roles(),
                EnumSet.of(PartnershipStatus.CLAIMED), "contest");
        requireReason(command.reason());
        apply(new PartnershipContested(activityId, command.agency(), roles, command.reason()));
        return version;
    }

    private void requireNamedAgency(String actor, String agency, String action) {
        if (agency == null || !agency.equals(actor)) {
            throw new NotPermitted(actor + " may not " + action + " a partnership of " + agency + " in "
                    + activityId + ": only the named agency answers for itself");
        }
    }

    /**
     * The roles an answer covers: those listed, each of which must be in one of the answerable statuses, or, when
     * none are listed, every role of the agency that is.
     */
    private List<PartnerRole> answeredRoles(String agency, List<PartnerRole> listed,
                                            Set<PartnershipStatus> answerable, String action) {
        List<PartnerRole> named = new ArrayList<>();
        partners.forEach((partner, status) -> {
            if (partner.agency().equals(agency)) {
                named.add(partner.role());
            }
        });
        if (named.isEmpty()) {
            throw new TransitionRefused("not-a-partner", state.name(),
                    agency + " is not named as a partner of " + activityId);
        }
        List<PartnerRole> asked = listed == null || listed.isEmpty() ? named : listed;
        List<PartnerRole> roles = new ArrayList<>();
        for (PartnerRole role : asked) {
            PartnershipStatus status = partners.get(new Partner(agency, role));
            if (status != null && answerable.contains(status)) {
                roles.add(role);
            } else if (listed != null && !listed.isEmpty()) {
                throw new TransitionRefused(status == null ? "not-a-partner" : "already-answered", state.name(),
                        "cannot " + action + " " + agency + " as " + role + " in " + activityId + ": "
                                + (status == null ? "not named for that role" : "it is " + status));
            }
        }
        if (roles.isEmpty()) {
            throw new TransitionRefused("already-answered", state.name(), "cannot " + action + " " + agency
                    + "'s partnership of " + activityId + ": every role it was named for is already answered "
                    + partnersOf(agency));
        }
        return List.copyOf(roles);
    }

    private Map<PartnerRole, PartnershipStatus> partnersOf(String agency) {
        Map<PartnerRole, PartnershipStatus> roles = new java.util.TreeMap<>();
        partners.forEach((partner, status) -> {
            if (partner.agency().equals(agency)) {
                roles.put(partner.role(), status);
            }
        });
        return roles;
    }

    /**
     * Only the lead agency moves the activity, or a partner it named for a role that covers the action: FUNDING
     * and EXTENDING commit funds; IMPLEMENTING starts, suspends, resumes and completes; ACCOUNTABLE revises and
     * cancels — once the partner has confirmed: a claim it has not answered, or contested, gives it no rights.
     * Partners are added, and requests accepted or declined, by the lead alone.
     */
    private void requireActor(String actor, String action, PartnerRole... rolesThatMay) {
        if (leadAgency.equals(actor)) {
            return;
        }
        for (PartnerRole role : rolesThatMay) {
            if (partners.get(new Partner(actor, role)) == CONFIRMED) {
                return;
            }
        }
        boolean unconfirmed = java.util.Arrays.stream(rolesThatMay).anyMatch(role ->
                partners.containsKey(new Partner(actor, role)));
        throw new NotPermitted(actor + " may not " + action + " " + activityId + ": only its lead agency "
                + leadAgency + (rolesThatMay.length == 0 ? "" : " or a confirmed partner named "
                + List.of(rolesThatMay)) + " may" + (unconfirmed ? "; " + actor + " is named but has not confirmed"
                + " the partnership (POST .../partners/" + actor + "/confirmation)" : ""));
    }

    private void requireState(String action, Set<ActivityState> allowed) {
        if (!allowed.contains(state)) {
            throw new TransitionRefused("transition-refused", state.name(),
                    "cannot " + action + " activity " + activityId + " in state " + state);
        }
    }

    private void requireDateInOrder(String field, LocalDate date) {
        Violations violations = new Violations();
        ActivityRules.checkDateInOrder(field, date, lastLifecycleDate, violations);
        violations.throwIfAny();
    }

    private static void requireReason(String reason) {
        new Violations().require(reason != null && !reason.isBlank() && reason.length() <= 2000, "reason",
                "must be given, at most 2000 characters").throwIfAny();
    }

    @EventSourcingHandler
    void on(ActivityProposed event, @SequenceNumber long sequence) {
        activityId = event.activityId();
        leadAgency = event.leadAgency();
        state = PROPOSED;
        plan = new Plan(event.title(), event.description(), event.axes(), event.regions(), event.targetGroups(),
                event.plannedPeriod(), event.plannedBudget(), event.plannedBudgetByYear());
        event.partners().forEach(partner -> partners.put(partner, PartnershipStatus.CLAIMED));
        version = sequence;
    }

    @EventSourcingHandler
    void on(ActivityCommitted event, @SequenceNumber long sequence) {
        state = COMMITTED;
        committedAmount = event.committedAmount();
        lastLifecycleDate = event.committedOn();
        record = record.committed(event.committedOn());
        version = sequence;
    }

    @EventSourcingHandler
    void on(ActivityStarted event, @SequenceNumber long sequence) {
        state = STARTED;
        lastLifecycleDate = event.startedOn();
        record = record.started(event.startedOn());
        version = sequence;
    }

    @EventSourcingHandler
    void on(ActivitySuspended event, @SequenceNumber long sequence) {
        state = SUSPENDED;
        lastLifecycleDate = event.suspendedOn();
        record = record.suspended(event.suspendedOn());
        version = sequence;
    }

    @EventSourcingHandler
    void on(ActivityResumed event, @SequenceNumber long sequence) {
        state = STARTED;
        lastLifecycleDate = event.resumedOn();
        record = record.suspended(null);
        version = sequence;
    }

    @EventSourcingHandler
    void on(ActivityCompleted event, @SequenceNumber long sequence) {
        state = COMPLETED;
        lastLifecycleDate = event.completedOn();
        record = record.completed(event.completedOn(), event.amountSpent(), event.beneficiariesReached());
        version = sequence;
    }

    @EventSourcingHandler
    void on(ActivityCancelled event, @SequenceNumber long sequence) {
        state = CANCELLED;
        lastLifecycleDate = event.cancelledOn();
        record = record.cancelled(event.cancelledOn(), event.reason());
        version = sequence;
    }

    @EventSourcingHandler
    void on(ActivityRevised event, @SequenceNumber long sequence) {
        plan = new Plan(event.title(), event.description(), event.axes(), event.regions(), event.targetGroups(),
                event.plannedPeriod(), event.plannedBudget(), event.plannedBudgetByYear());
        version = sequence;
    }

    @EventSourcingHandler
    void on(PartnershipRequested event, @SequenceNumber long sequence) {
        requests.add(new Partner(event.agency(), event.role()));
        version = sequence;
    }

    @EventSourcingHandler
    void on(PartnerJoined event, @SequenceNumber long sequence) {
        Partner partner = new Partner(event.agency(), event.role());
        // The answer to the partner's own request is confirmed at once; a partner named unasked is only claimed.
        partners.put(partner, requests.remove(partner) ? CONFIRMED : PartnershipStatus.CLAIMED);
        version = sequence;
    }

    @EventSourcingHandler
    void on(PartnershipDeclined event, @SequenceNumber long sequence) {
        requests.remove(new Partner(event.agency(), event.role()));
        version = sequence;
    }

    @EventSourcingHandler
    void on(PartnershipConfirmed event, @SequenceNumber long sequence) {
        event.roles().forEach(role -> partners.put(new Partner(event.agency(), role), CONFIRMED));
        version = sequence;
    }

    @EventSourcingHandler
    void on(PartnershipContested event, @SequenceNumber long sequence) {
        event.roles().forEach(role -> partners.put(new Partner(event.agency(), role), PartnershipStatus.CONTESTED));
        event.roles().forEach(role -> contestations.put(new Partner(event.agency(), role), event.reason()));
        version = sequence;
    }

    @EventSourcingHandler
    void on(ActivityRekeyed event, @SequenceNumber long sequence) {
        movedTo = event.newActivityId();
        version = sequence;
    }

    @EventSourcingHandler
    void on(ActivityMovedIn event, @SequenceNumber long sequence) {
        activityId = event.activityId();
        leadAgency = event.leadAgency();
        state = event.state();
        plan = new Plan(event.title(), event.description(), event.axes(), event.regions(), event.targetGroups(),
                event.plannedPeriod(), event.plannedBudget(), event.plannedBudgetByYear());
        committedAmount = event.committedAmount();
        record = new Record(event.committedOn(), event.startedOn(), event.completedOn(), event.amountSpent(),
                event.beneficiariesReached(), event.suspendedOn(), event.cancelledOn(), event.cancelReason());
        lastLifecycleDate = record.lastDate();
        event.partners().forEach(standing -> {
            Partner partner = new Partner(standing.agency(), standing.role());
            if (standing.status() == PartnershipStatus.REQUESTED) {
                requests.add(partner);
            } else if (standing.status().named()) {
                partners.put(partner, standing.status());
                if (standing.reason() != null) {
                    contestations.put(partner, standing.reason());
                }
            }
        });
        version = sequence;
    }

    /** The dated facts of an activity's life so far (any may be null): what a move carries beside the plan. */
    record Record(LocalDate committedOn, LocalDate startedOn, LocalDate completedOn, Money amountSpent,
                  Long beneficiariesReached, LocalDate suspendedOn, LocalDate cancelledOn, String cancelReason) {

        static final Record NONE = new Record(null, null, null, null, null, null, null, null);

        Record committed(LocalDate on) {
            return new Record(on, startedOn, completedOn, amountSpent, beneficiariesReached, suspendedOn,
                    cancelledOn, cancelReason);
        }

        Record started(LocalDate on) {
            return new Record(committedOn, on, completedOn, amountSpent, beneficiariesReached, suspendedOn,
                    cancelledOn, cancelReason);
        }

        /** Suspended since that date; null when resumed. */
        Record suspended(LocalDate since) {
            return new Record(committedOn, startedOn, completedOn, amountSpent, beneficiariesReached, since,
                    cancelledOn, cancelReason);
        }

        Record completed(LocalDate on, Money spent, long beneficiaries) {
            return new Record(committedOn, startedOn, on, spent, beneficiaries, suspendedOn, cancelledOn,
                    cancelReason);
        }

        Record cancelled(LocalDate on, String reason) {
            return new Record(committedOn, startedOn, completedOn, amountSpent, beneficiariesReached, suspendedOn,
                    on, reason);
        }

        /** The latest date a step stated, which later steps may not precede. */
        LocalDate lastDate() {
            LocalDate last = null;
            for (LocalDate date : new LocalDate[] {committedOn, startedOn, suspendedOn, completedOn, cancelledOn}) {
                if (date != null && (last == null || date.isAfter(last))) {
                    last = date;
                }
            }
            return last;
        }
    }

    /** The revisable part of an activity; plannedBudgetByYear is null while it is still to be split pro rata. */
    record Plan(String title, String description, List<String> axes, List<String> regions,
                List<String> targetGroups, org.convergenceledger.events.common.Period plannedPeriod,
                Money plannedBudget, List<YearlyAmount> plannedBudgetByYear) {

        /**
         * A split given is kept; without one, the current split is kept while period and budget stay exactly as
         * they were (an old event's upcast split is pro rata of them too), else it is made pro rata again.
         */
        Plan revisedWith(ReviseActivity revision) {
            org.convergenceledger.events.common.Period period =
                    Objects.requireNonNullElse(revision.plannedPeriod(), plannedPeriod);
            Money budget = Objects.requireNonNullElse(revision.plannedBudget(), plannedBudget);
            return new Plan(
                    Objects.requireNonNullElse(revision.title(), title),
                    Objects.requireNonNullElse(revision.description(), description),
                    Objects.requireNonNullElse(revision.axes(), axes),
                    Objects.requireNonNullElse(revision.regions(), regions),
                    Objects.requireNonNullElse(revision.targetGroups(), targetGroups),
                    period, budget, revision.plannedBudgetByYear() != null ? revision.plannedBudgetByYear()
                            : period.equals(plannedPeriod) && budget.equals(plannedBudget) ? plannedBudgetByYear
                            : null);
        }

        /** The split as stored: the one given, in year order, or pro rata (not yet while period or budget is wrong). */
        Plan splitByYear() {
            if (plannedBudgetByYear == null && !ActivityRules.isSplittable(plannedPeriod, plannedBudget)) {
                return this;
            }
            List<YearlyAmount> split = plannedBudgetByYear != null ? plannedBudgetByYear.stream()
                    .sorted(Comparator.nullsLast(Comparator.comparingInt(YearlyAmount::year))).toList()
                    : BudgetSplit.proRata(plannedPeriod, plannedBudget);
            return new Plan(title, description, axes, regions, targetGroups, plannedPeriod, plannedBudget, split);
        }
    }
}
