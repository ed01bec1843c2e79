package org.convergenceledger.command.activity;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import static org.hamcrest.Matchers.containsString;

import org.hamcrest.CustomTypeSafeMatcher;
import org.hamcrest.Matcher;
import org.convergenceledger.command.coordination.ActivityDirectory;
import org.convergenceledger.command.coordination.ClosedPeriods;
import org.convergenceledger.command.registry.Registry;
import org.convergenceledger.command.system.InvalidInput;
import org.convergenceledger.command.system.NotPermitted;
import org.convergenceledger.command.system.TransitionRefused;
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
import org.convergenceledger.events.common.Money;
import org.convergenceledger.events.common.Partner;
import org.convergenceledger.events.common.PartnerRole;
import org.convergenceledger.events.common.PartnerStanding;
import org.convergenceledger.events.common.PartnershipStatus;
import org.convergenceledger.events.common.Period;
import org.convergenceledger.events.coordination.PeriodClosed;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ActivityTest {

    private static final String ID = "ANAPEC:WLT-2024-07";
    private static final Period PLAN = new Period(LocalDate.of(2024, 3, 1), LocalDate.of(2025, 2, 28));
    private static final Money BUDGET = Money.of("1250000.00", "MAD");
    private static final ActivityProposed PROPOSED = new ActivityProposed(ID, "ANAPEC", "Dual training",
            "Work-linked placements", List.of("WORK_LINKED_TRAINING"), List.of("TANGER_TETOUAN_AL_HOCEIMA"),
            List.of("YOUTH"), PLAN, BUDGET, ActivityBudgetByYearTest.PRO_RATA,
            List.of(new Partner("GIZ", PartnerRole.FUNDING)));
    private static final ActivityCommitted COMMITTED =
            new ActivityCommitted(ID, Money.of("1200000.00", "MAD"), LocalDate.of(2024, 2, 20));
    private static final ActivityStarted STARTED = new ActivityStarted(ID, LocalDate.of(2024, 3, 4));
    private static final ActivitySuspended SUSPENDED =
            new ActivitySuspended(ID, LocalDate.of(2024, 7, 15), "Summer closure");

    private static final PartnershipConfirmed GIZ_CONFIRMED =
            new PartnershipConfirmed(ID, "GIZ", List.of(PartnerRole.FUNDING));

    private FixtureConfiguration<Activity> fixture;
    private final List<PeriodClosed> closed = new java.util.ArrayList<>();

    @BeforeEach
    void setUp() {
        closed.clear();
        fixture = fixture(closed);
    }

    /** The rulebook with a registry of three agencies and two axes, and these closed periods. */
    static FixtureConfiguration<Activity> fixture(List<PeriodClosed> closed) {
        FixtureConfiguration<Activity> fixture = new AggregateTestFixture<>(Activity.class);
        fixture.registerInjectableResource(new KnownCodes(Set.of("ANAPEC", "GIZ", "OFPPT"),
                Set.of("WORK_LINKED_TRAINING", "GENDER")));
        fixture.registerInjectableResource((ActivityDirectory) "OFPPT:TAKEN"::equals);
        fixture.registerInjectableResource((ClosedPeriods) (agency, dated) ->
                closed.stream().filter(period -> period.covers(agency, dated)).findFirst());
        // Unless a test says who acts, the lead agency does (as its authenticated key would make it).
        fixture.registerCommandDispatchInterceptor(messages -> (index, message) ->
                message.getMetaData().containsKey(LedgerMetadata.RECORDED_BY) ? message
                        : message.andMetaData(Map.of(LedgerMetadata.RECORDED_BY,
                                message.getPayload() instanceof ProposeActivity proposal && proposal.leadAgency() != null
                                        ? proposal.leadAgency() : "ANAPEC")));
        return fixture;
    }

    private static Map<String, Object> by(String agency) {
        return Map.of(LedgerMetadata.RECORDED_BY, agency);
    }

    @Test
    void theLeadMovesTheActivityToANewIdentifierCarryingEverythingItIs() {
        ActivityRekeyed rekeyed = new ActivityRekeyed(ID, "OFPPT:WLT-2024-07", "OFPPT", "Transferred to OFPPT");
        fixture.given(PROPOSED, new PartnershipConfirmed(ID, "GIZ", List.of(PartnerRole.FUNDING)),
                        new PartnerJoined(ID, "OFPPT", PartnerRole.IMPLEMENTING), COMMITTED, STARTED)
                .when(new RekeyActivity(ID, null, "OFPPT:WLT-2024-07", "Transferred to OFPPT"))
                .expectEvents(rekeyed, new ActivityMovedIn("OFPPT:WLT-2024-07", ID, "OFPPT", ActivityState.STARTED,
                        "Dual training", "Work-linked placements", List.of("WORK_LINKED_TRAINING"),
                        List.of("TANGER_TETOUAN_AL_HOCEIMA"), List.of("YOUTH"), PLAN, BUDGET,
                        ActivityBudgetByYearTest.PRO_RATA,
                        // OFPPT leads now: it is no longer its own partner.
                        List.of(new PartnerStanding("GIZ", PartnerRole.FUNDING, PartnershipStatus.CONFIRMED, null)),
                        Money.of("1200000.00", "MAD"), LocalDate.of(2024, 2, 20), LocalDate.of(2024, 3, 4), null, null,
                        null, null, null, null, "Transferred to OFPPT"));
    }

    @Test
    void aMovedActivityRefusesEveryCommandNamingWhereItWent() {
        fixture.given(PROPOSED, COMMITTED, new ActivityRekeyed(ID, "ANAPEC:WLT-2024-7", "ANAPEC", "typo"))
                .when(new StartActivity(ID, null, LocalDate.of(2024, 3, 4)))
                .expectNoEvents()
                .expectException(ActivityMoved.class)
                .expectExceptionMessage(containsString("moved to ANAPEC:WLT-2024-7"));
    }

    @Test
    void aMoveNeedsTheLeadAReasonAFreeIdentifierAndARegisteredNewLead() {
        fixture.given(PROPOSED)
                .when(new RekeyActivity(ID, null, "OFPPT:WLT-2024-07", "mine now"), by("OFPPT"))
                .expectNoEvents()
                .expectException(NotPermitted.class);
        fixture.given(PROPOSED)
                .when(new RekeyActivity(ID, null, "OFPPT:TAKEN", "transfer"))
                .expectNoEvents()
                .expectException(InvalidInput.class);
        fixture.given(PROPOSED)
                .when(new RekeyActivity(ID, null, "NOBODY:WLT-1", "transfer"))
                .expectNoEvents()
                .expectException(InvalidInput.class);
        fixture.given(PROPOSED)
                .when(new RekeyActivity(ID, null, "ANAPEC:WLT-2024-7", null))
                .expectNoEvents()
                .expectException(InvalidInput.class);
    }

    @Test
    void aMovedInActivityGoesOnUnderItsNewIdentifier() {
        String newId = "OFPPT:WLT-2024-07";
        fixture.given(new ActivityMovedIn(newId, ID, "OFPPT", ActivityState.COMMITTED, "Dual training",
                        "Work-linked placements", List.of("WORK_LINKED_TRAINING"), List.of("TANGER_TETOUAN_AL_HOCEIMA"),
                        List.of("YOUTH"), PLAN, BUDGET, ActivityBudgetByYearTest.PRO_RATA, List.of(),
                        Money.of("1200000.00", "MAD"),
                        LocalDate.of(2024, 2, 20), null, null, null, null, null, null, null, "transfer"))
                .when(new StartActivity(newId, null, LocalDate.of(2024, 2, 1)), by("OFPPT"))
                .expectNoEvents()
                .expectException(InvalidInput.class);
        fixture.given(new ActivityMovedIn(newId, ID, "OFPPT", ActivityState.COMMITTED, "Dual training",
                        "Work-linked placements", List.of("WORK_LINKED_TRAINING"), List.of("TANGER_TETOUAN_AL_HOCEIMA"),
                        List.of("YOUTH"), PLAN, BUDGET, ActivityBudgetByYearTest.PRO_RATA, List.of(),
                        Money.of("1200000.00", "MAD"),
                        LocalDate.of(2024, 2, 20), null, null, null, null, null, null, null, "transfer"))
                .when(new StartActivity(newId, null, LocalDate.of(2024, 3, 4)), by("OFPPT"))
                .expectEvents(new ActivityStarted(newId, LocalDate.of(2024, 3, 4)));
    }

    private static final PeriodClosed FIRST_HALF_2024 = new PeriodClosed("period:ANAPEC:2024-01-01..2024-06-30",
            "ANAPEC", LocalDate.of(2024, 1, 1), LocalDate.of(2024, 6, 30), "half-year report adopted");

    @Test
    void aStepDatedInsideAClosedPeriodIsRefusedUnlessItIsACorrectionWithAReason() {
        closed.add(FIRST_HALF_2024);
        fixture.given(PROPOSED, COMMITTED)
                .when(new StartActivity(ID, null, LocalDate.of(2024, 3, 4)))
                .expectNoEvents()
                .expectException(refusedInState("COMMITTED"))
                .expectExceptionMessage(containsString("inside the reporting period 2024-01-01 to 2024-06-30"));
        fixture.given(PROPOSED, COMMITTED)
                .when(new StartActivity(ID, null, LocalDate.of(2024, 3, 4)), Map.of(LedgerMetadata.RECORDED_BY,
                        "ANAPEC", LedgerMetadata.CORRECTION, "true", LedgerMetadata.CORRECTION_REASON,
                        "start date misreported in March"))
                .expectEvents(STARTED);
    }

    @Test
    void aStepDatedAfterTheClosedPeriodOrAnotherAgencysPeriodIsNoCorrection() {
        closed.add(FIRST_HALF_2024);
        closed.add(new PeriodClosed("period:OFPPT:2024-01-01..2024-12-31", "OFPPT", LocalDate.of(2024, 1, 1),
                LocalDate.of(2024, 12, 31), null));
        fixture.given(PROPOSED, COMMITTED, STARTED)
                .when(new SuspendActivity(ID, null, LocalDate.of(2024, 7, 15), "Summer closure"))
                .expectEvents(SUSPENDED);
        fixture.given(PROPOSED, COMMITTED, STARTED)
                .when(new SuspendActivity(ID, null, LocalDate.of(2024, 7, 15), "Summer closure"),
                        Map.of(LedgerMetadata.RECORDED_BY, "ANAPEC", LedgerMetadata.CORRECTION_REASON, "why not"))
                .expectNoEvents()
                .expectException(InvalidInput.class);
    }

    @Test
    void aPeriodClosedForAllAgenciesBindsEveryLeadAndARevisionIsDatedByTheDayItHappened() {
        closed.add(new PeriodClosed("period:ALL:2024-01-01..2024-06-30", null, LocalDate.of(2024, 1, 1),
                LocalDate.of(2024, 6, 30), null));
        fixture.given(PROPOSED)
                .when(new ReviseActivity(ID, null, "Dual training, second cohort", null, null, null, null, null, null,
                        "backdated"), Map.of(LedgerMetadata.RECORDED_BY, "ANAPEC", LedgerMetadata.OCCURRED_AT,
                        "2024-05-02T09:00:00Z"))
                .expectNoEvents()
                .expectException(refusedInState("PROPOSED"));
        fixture.givenNoPriorActivity()
                .when(proposal(ID, "ANAPEC", List.of("WORK_LINKED_TRAINING"), PLAN, BUDGET),
                        Map.of(LedgerMetadata.RECORDED_BY, "ANAPEC", LedgerMetadata.OCCURRED_AT,
                                "2024-02-01T09:00:00Z"))
                .expectNoEvents()
                .expectException(TransitionRefused.class);
    }

    @Test
    void anAgencyCannotProposeAnActivityLedByAnother() {
        fixture.givenNoPriorActivity()
                .when(proposal(ID, "ANAPEC", List.of("WORK_LINKED_TRAINING"), PLAN, BUDGET), by("OFPPT"))
                .expectNoEvents()
                .expectException(NotPermitted.class)
                .expectExceptionMessage(containsString("OFPPT may not propose an activity led by ANAPEC"));
    }

    @Test
    void anotherAgencyCannotMoveAnActivityItHasNoPartInIt() {
        fixture.given(PROPOSED, COMMITTED)
                .when(new StartActivity(ID, null, LocalDate.of(2024, 3, 4)), by("OFPPT"))
                .expectNoEvents()
                .expectException(NotPermitted.class)
                .expectExceptionMessage(containsString(
                        "only its lead agency ANAPEC or a confirmed partner named [IMPLEMENTING]"));
    }

    @Test
    void aConfirmedFundingPartnerMayCommitButNotStart() {
        // GIZ is named FUNDING partner in the proposal, and confirmed it.
        fixture.given(PROPOSED, GIZ_CONFIRMED)
                .when(new CommitActivity(ID, null, Money.of("1200000.00", "MAD"), LocalDate.of(2024, 2, 20)),
                        by("GIZ"))
                .expectEvents(COMMITTED);
        fixture.given(PROPOSED, GIZ_CONFIRMED, COMMITTED)
                .when(new StartActivity(ID, null, LocalDate.of(2024, 3, 4)), by("GIZ"))
                .expectNoEvents()
                .expectException(NotPermitted.class);
    }

    @Test
    void aClaimedPartnerHasNoRightsUntilItConfirms() {
        fixture.given(PROPOSED)
                .when(new CommitActivity(ID, null, Money.of("1200000.00", "MAD"), LocalDate.of(2024, 2, 20)),
                        by("GIZ"))
                .expectNoEvents()
                .expectException(NotPermitted.class)
                .expectExceptionMessage(containsString("GIZ is named but has not confirmed the partnership"));
    }

    @Test
    void aContestedPartnerHasNoRights() {
        fixture.given(PROPOSED, new PartnershipContested(ID, "GIZ", List.of(PartnerRole.FUNDING), "not ours"))
                .when(new CommitActivity(ID, null, Money.of("1200000.00", "MAD"), LocalDate.of(2024, 2, 20)),
                        by("GIZ"))
                .expectNoEvents()
                .expectException(NotPermitted.class);
    }

    @Test
    void anImplementingPartnerAddedByTheLeadMayStartOnceItConfirmed() {
        fixture.given(PROPOSED, COMMITTED, new PartnerJoined(ID, "OFPPT", PartnerRole.IMPLEMENTING),
                        new PartnershipConfirmed(ID, "OFPPT", List.of(PartnerRole.IMPLEMENTING)))
                .when(new StartActivity(ID, null, LocalDate.of(2024, 3, 4)), by("OFPPT"))
                .expectEvents(STARTED);
    }

    @Test
    void aPartnerWhoseRequestWasAcceptedNeedsNoConfirmation() {
        fixture.given(PROPOSED, COMMITTED, new PartnershipRequested(ID, "OFPPT", PartnerRole.IMPLEMENTING),
                        new PartnerJoined(ID, "OFPPT", PartnerRole.IMPLEMENTING))
                .when(new StartActivity(ID, null, LocalDate.of(2024, 3, 4)), by("OFPPT"))
                .expectEvents(STARTED);
        fixture.given(PROPOSED, new PartnershipRequested(ID, "OFPPT", PartnerRole.IMPLEMENTING),
                        new PartnerJoined(ID, "OFPPT", PartnerRole.IMPLEMENTING))
                .when(new ConfirmPartnership(ID, null, "OFPPT", null), by("OFPPT"))
                .expectNoEvents()
                .expectException(refusedInState("PROPOSED"));
    }

    @Test
    void theNamedAgencyConfirmsEveryRoleItWasNamedForOrThoseItLists() {
        fixture.given(PROPOSED, new PartnerJoined(ID, "GIZ", PartnerRole.IMPLEMENTING))
                .when(new ConfirmPartnership(ID, null, "GIZ", null), by("GIZ"))
                .expectEvents(new PartnershipConfirmed(ID, "GIZ",
                        List.of(PartnerRole.FUNDING, PartnerRole.IMPLEMENTING)));
        fixture.given(PROPOSED, new PartnerJoined(ID, "GIZ", PartnerRole.IMPLEMENTING))
                .when(new ConfirmPartnership(ID, null, "GIZ", List.of(PartnerRole.IMPLEMENTING)), by("GIZ"))
                .expectEvents(new PartnershipConfirmed(ID, "GIZ", List.of(PartnerRole.IMPLEMENTING)));
    }

    @Test
    void onlyTheNamedAgencyAnswersForItself() {
        fixture.given(PROPOSED)
                .when(new ConfirmPartnership(ID, null, "GIZ", null), by("ANAPEC"))
                .expectNoEvents()
                .expectException(NotPermitted.class)
                .expectExceptionMessage(containsString("only the named agency answers for itself"));
        fixture.given(PROPOSED)
                .when(new ContestPartnership(ID, null, "GIZ", null, "not them"), by("OFPPT"))
                .expectNoEvents()
                .expectException(NotPermitted.class);
    }

    @Test
    void anAgencyNotNamedHasNothingToConfirm() {
        fixture.given(PROPOSED)
                .when(new ConfirmPartnership(ID, null, "OFPPT", null), by("OFPPT"))
                .expectNoEvents()
                .expectException(refusedInState("PROPOSED"));
        fixture.given(PROPOSED)
                .when(new ConfirmPartnership(ID, null, "GIZ", List.of(PartnerRole.IMPLEMENTING)), by("GIZ"))
                .expectNoEvents()
                .expectException(refusedInState("PROPOSED"))
                .expectExceptionMessage(containsString("not named for that role"));
    }

    @Test
    void aConfirmationIsGivenOnce() {
        fixture.given(PROPOSED, GIZ_CONFIRMED)
                .when(new ConfirmPartnership(ID, null, "GIZ", null), by("GIZ"))
                .expectNoEvents()
                .expectException(refusedInState("PROPOSED"))
                .expectExceptionMessage(containsString("already answered {FUNDING=CONFIRMED}"));
    }

    @Test
    void theNamedAgencyContestsAClaimWithAReason() {
        fixture.given(PROPOSED)
                .when(new ContestPartnership(ID, null, "GIZ", null, "We fund OFPPT's programme, not this one"),
                        by("GIZ"))
                .expectEvents(new PartnershipContested(ID, "GIZ", List.of(PartnerRole.FUNDING),
                        "We fund OFPPT's programme, not this one"));
        fixture.given(PROPOSED)
                .when(new ContestPartnership(ID, null, "GIZ", null, " "), by("GIZ"))
                .expectNoEvents()
                .expectException(InvalidInput.class);
    }

    @Test
    void aConfirmedPartnershipCannotBeContestedButAContestedOneCanStillBeConfirmed() {
        fixture.given(PROPOSED, GIZ_CONFIRMED)
                .when(new ContestPartnership(ID, null, "GIZ", List.of(PartnerRole.FUNDING), "changed our mind"),
                        by("GIZ"))
                .expectNoEvents()
                .expectException(refusedInState("PROPOSED"))
                .expectExceptionMessage(containsString("it is CONFIRMED"));
        fixture.given(PROPOSED, new PartnershipContested(ID, "GIZ", List.of(PartnerRole.FUNDING), "not ours"))
                .when(new ConfirmPartnership(ID, null, "GIZ", null), by("GIZ"))
                .expectEvents(GIZ_CONFIRMED);
    }

    @Test
    void aCompletedActivitysPartnerMayStillConfirmWhoTookPart() {
        fixture.given(PROPOSED, COMMITTED, STARTED,
                        new ActivityCompleted(ID, LocalDate.of(2025, 2, 27), Money.of("1100000", "MAD"), 300))
                .when(new ConfirmPartnership(ID, null, "GIZ", null), by("GIZ"))
                .expectEvents(GIZ_CONFIRMED);
    }

    @Test
    void theLeadDeclinesARequestWithAReasonAndTheAgencyMayAskAgain() {
        PartnershipRequested asked = new PartnershipRequested(ID, "OFPPT", PartnerRole.IMPLEMENTING);
        PartnershipDeclined declined = new PartnershipDeclined(ID, "OFPPT", PartnerRole.IMPLEMENTING,
                "ANAPEC implements this one itself");
        fixture.given(PROPOSED, asked)
                .when(new DeclinePartnership(ID, null, "OFPPT", PartnerRole.IMPLEMENTING,
                        "ANAPEC implements this one itself"), by("ANAPEC"))
                .expectEvents(declined);
        fixture.given(PROPOSED, asked, declined)
                .when(new AcceptPartnership(ID, null, "OFPPT", PartnerRole.IMPLEMENTING), by("ANAPEC"))
                .expectNoEvents()
                .expectException(refusedInState("PROPOSED"));
        fixture.given(PROPOSED, asked, declined)
                .when(new RequestPartnership(ID, null, "OFPPT", PartnerRole.IMPLEMENTING), by("OFPPT"))
                .expectEvents(asked);
    }

    @Test
    void onlyTheLeadDeclinesAndOnlyWithAReason() {
        PartnershipRequested asked = new PartnershipRequested(ID, "OFPPT", PartnerRole.IMPLEMENTING);
        fixture.given(PROPOSED, asked, GIZ_CONFIRMED)
                .when(new DeclinePartnership(ID, null, "OFPPT", PartnerRole.IMPLEMENTING, "no"), by("GIZ"))
                .expectNoEvents()
                .expectException(NotPermitted.class);
        fixture.given(PROPOSED, asked)
                .when(new DeclinePartnership(ID, null, "OFPPT", PartnerRole.IMPLEMENTING, null), by("ANAPEC"))
                .expectNoEvents()
                .expectException(InvalidInput.class);
        fixture.given(PROPOSED)
                .when(new DeclinePartnership(ID, null, "OFPPT", PartnerRole.IMPLEMENTING, "no"), by("ANAPEC"))
                .expectNoEvents()
                .expectException(refusedInState("PROPOSED"));
    }

    @Test
    void onlyTheLeadAddsPartners() {
        fixture.given(PROPOSED)
                .when(new AddPartner(ID, null, "OFPPT", PartnerRole.IMPLEMENTING), by("GIZ"))
                .expectNoEvents()
                .expectException(NotPermitted.class);
    }

    @Test
    void anAgencyAsksToJoinAndTheLeadAccepts() {
        PartnershipRequested asked = new PartnershipRequested(ID, "OFPPT", PartnerRole.IMPLEMENTING);
        fixture.given(PROPOSED)
                .when(new RequestPartnership(ID, null, "OFPPT", PartnerRole.IMPLEMENTING), by("OFPPT"))
                .expectEvents(asked);
        fixture.given(PROPOSED, asked)
                .when(new AcceptPartnership(ID, null, "OFPPT", PartnerRole.IMPLEMENTING), by("ANAPEC"))
                .expectEvents(new PartnerJoined(ID, "OFPPT", PartnerRole.IMPLEMENTING));
    }

    @Test
    void theAskingAgencyCannotAcceptItsOwnRequest() {
        fixture.given(PROPOSED, new PartnershipRequested(ID, "OFPPT", PartnerRole.IMPLEMENTING))
                .when(new AcceptPartnership(ID, null, "OFPPT", PartnerRole.IMPLEMENTING), by("OFPPT"))
                .expectNoEvents()
                .expectException(NotPermitted.class);
    }

    @Test
    void nobodyAsksToJoinOnAnotherAgencysBehalf() {
        fixture.given(PROPOSED)
                .when(new RequestPartnership(ID, null, "OFPPT", PartnerRole.FUNDING), by("GIZ"))
                .expectNoEvents()
                .expectException(NotPermitted.class);
    }

    @Test
    void aRequestCannotBeAcceptedTwiceNorWithoutBeingMade() {
        fixture.given(PROPOSED)
                .when(new AcceptPartnership(ID, null, "OFPPT", PartnerRole.IMPLEMENTING), by("ANAPEC"))
                .expectNoEvents()
                .expectException(refusedInState("PROPOSED"));
        fixture.given(PROPOSED, new PartnershipRequested(ID, "OFPPT", PartnerRole.IMPLEMENTING),
                        new PartnerJoined(ID, "OFPPT", PartnerRole.IMPLEMENTING))
                .when(new AcceptPartnership(ID, null, "OFPPT", PartnerRole.IMPLEMENTING), by("ANAPEC"))
                .expectNoEvents()
                .expectException(refusedInState("PROPOSED"));
    }

    private static ProposeActivity proposal(String id, String lead, List<String> axes, Period period, Money budget) {
        return new ProposeActivity(id, lead, "Dual training", "Work-linked placements", axes,
                List.of("TANGER_TETOUAN_AL_HOCEIMA"), List.of("YOUTH"), period, budget,
                List.of(new Partner("GIZ", PartnerRole.FUNDING)));
    }

    @Test
    void aRegisteredAgencyProposesAnActivityOnADefinedAxis() {
        fixture.givenNoPriorActivity()
                .when(proposal(ID, "ANAPEC", List.of("WORK_LINKED_TRAINING"), PLAN, BUDGET))
                .expectSuccessfulHandlerExecution()
                .expectEvents(PROPOSED);
    }

    @Test
    void cannotProposeOnAnUnknownAxis() {
        fixture.givenNoPriorActivity()
                .when(proposal(ID, "ANAPEC", List.of("CHILD_LABOUR"), PLAN, BUDGET))
                .expectNoEvents()
                .expectException(InvalidInput.class)
                .expectExceptionMessage(org.hamcrest.Matchers.containsString("unknown axis CHILD_LABOUR"));
    }

    @Test
    void cannotProposeForAnUnknownAgency() {
        fixture.givenNoPriorActivity()
                .when(proposal("UNKNOWN:X-1", "UNKNOWN", List.of("GENDER"), PLAN, BUDGET))
                .expectNoEvents()
                .expectException(InvalidInput.class)
                .expectExceptionMessage(org.hamcrest.Matchers.containsString("leadAgency"));
    }

    @Test
    void cannotProposeUnderAnotherAgencysIdentifier() {
        fixture.givenNoPriorActivity()
                .when(proposal("OFPPT:X-1", "ANAPEC", List.of("GENDER"), PLAN, BUDGET))
                .expectNoEvents()
                .expectException(InvalidInput.class)
                .expectExceptionMessage(org.hamcrest.Matchers.containsString("lead agency's code"));
    }

    @Test
    void aProposalNamesEveryBrokenRuleAtOnce() {
        fixture.givenNoPriorActivity()
                .when(proposal(ID, "ANAPEC", List.of("WORK_LINKED_TRAINING"),
                        new Period(LocalDate.of(2025, 1, 1), LocalDate.of(2024, 1, 1)), Money.of("-5", "MAD")))
                .expectNoEvents()
                .expectException(violationsOn("plannedPeriod.end", "plannedBudget"));
    }

    @Test
    void cannotProposeABudgetInAnUnknownCurrency() {
        fixture.givenNoPriorActivity()
                .when(proposal(ID, "ANAPEC", List.of("GENDER"), PLAN, Money.of("100", "XYZ")))
                .expectNoEvents()
                .expectException(InvalidInput.class);
    }

    @Test
    void aProposedActivityIsCommitted() {
        fixture.given(PROPOSED)
                .when(new CommitActivity(ID, null, Money.of("1200000.00", "MAD"), LocalDate.of(2024, 2, 20)))
                .expectEvents(COMMITTED)
                .expectResultMessagePayload(1L);
    }

    @Test
    void cannotCommitInAnotherCurrencyThanPlanned() {
        fixture.given(PROPOSED)
                .when(new CommitActivity(ID, null, Money.of("100000", "EUR"), LocalDate.of(2024, 2, 20)))
                .expectNoEvents()
                .expectException(InvalidInput.class)
                .expectExceptionMessage(org.hamcrest.Matchers.containsString("committedAmount.currency"));
    }

    @Test
    void cannotCommitANegativeAmount() {
        fixture.given(PROPOSED)
                .when(new CommitActivity(ID, null, Money.of("-1", "MAD"), LocalDate.of(2024, 2, 20)))
                .expectNoEvents()
                .expectException(InvalidInput.class);
    }

    @Test
    void cannotCommitTwice() {
        fixture.given(PROPOSED, COMMITTED)
                .when(new CommitActivity(ID, null, Money.of("1", "MAD"), LocalDate.of(2024, 2, 21)))
                .expectNoEvents()
                .expectException(refusedInState("COMMITTED"));
    }

    @Test
    void cannotStartAnActivityThatIsOnlyProposed() {
        fixture.given(PROPOSED)
                .when(new StartActivity(ID, null, LocalDate.of(2024, 3, 4)))
                .expectNoEvents()
                .expectException(TransitionRefused.class);
    }

    @Test
    void aCommittedActivityStarts() {
        fixture.given(PROPOSED, COMMITTED)
                .when(new StartActivity(ID, null, LocalDate.of(2024, 3, 4)))
                .expectEvents(STARTED)
                .expectResultMessagePayload(2L);
    }

    @Test
    void cannotStartBeforeItWasCommitted() {
        fixture.given(PROPOSED, COMMITTED)
                .when(new StartActivity(ID, null, LocalDate.of(2024, 2, 1)))
                .expectNoEvents()
                .expectException(InvalidInput.class)
                .expectExceptionMessage(org.hamcrest.Matchers.containsString("startedOn"));
    }

    @Test
    void aStartedActivityIsSuspendedAndResumed() {
        fixture.given(PROPOSED, COMMITTED, STARTED, SUSPENDED)
                .when(new ResumeActivity(ID, null, LocalDate.of(2024, 9, 2)))
                .expectEvents(new ActivityResumed(ID, LocalDate.of(2024, 9, 2)));
    }

    @Test
    void cannotSuspendWithoutAReason() {
        fixture.given(PROPOSED, COMMITTED, STARTED)
                .when(new SuspendActivity(ID, null, LocalDate.of(2024, 7, 15), " "))
                .expectNoEvents()
                .expectException(InvalidInput.class);
    }

    @Test
    void cannotResumeBeforeTheSuspension() {
        fixture.given(PROPOSED, COMMITTED, STARTED, SUSPENDED)
                .when(new ResumeActivity(ID, null, LocalDate.of(2024, 7, 1)))
                .expectNoEvents()
                .expectException(InvalidInput.class);
    }

    @Test
    void cannotCompleteASuspendedActivity() {
        fixture.given(PROPOSED, COMMITTED, STARTED, SUSPENDED)
                .when(new CompleteActivity(ID, null, LocalDate.of(2024, 12, 1), Money.of("10", "MAD"), 5))
                .expectNoEvents()
                .expectException(TransitionRefused.class);
    }

    @Test
    void aStartedActivityCompletesWithItsResults() {
        ActivityCompleted completed =
                new ActivityCompleted(ID, LocalDate.of(2025, 2, 27), Money.of("1187450.50", "MAD"), 412);
        fixture.given(PROPOSED, COMMITTED, STARTED)
                .when(new CompleteActivity(ID, null, LocalDate.of(2025, 2, 27), Money.of("1187450.50", "MAD"), 412))
                .expectEvents(completed);
    }

    @Test
    void cannotReportSpendingInAnotherCurrency() {
        fixture.given(PROPOSED, COMMITTED, STARTED)
                .when(new CompleteActivity(ID, null, LocalDate.of(2025, 2, 27), Money.of("10", "EUR"), 1))
                .expectNoEvents()
                .expectException(InvalidInput.class);
    }

    @Test
    void cannotReportNegativeBeneficiaries() {
        fixture.given(PROPOSED, COMMITTED, STARTED)
                .when(new CompleteActivity(ID, null, LocalDate.of(2025, 2, 27), Money.of("10", "MAD"), -1))
                .expectNoEvents()
                .expectException(InvalidInput.class);
    }

    @Test
    void anActivityIsCancelledFromAnyStateBeforeCompletion() {
        ActivityCancelled cancelled = new ActivityCancelled(ID, LocalDate.of(2024, 8, 1), "Merged");
        fixture.given(PROPOSED, COMMITTED, STARTED, SUSPENDED)
                .when(new CancelActivity(ID, null, LocalDate.of(2024, 8, 1), "Merged"))
                .expectEvents(cancelled);
        fixture.given(PROPOSED)
                .when(new CancelActivity(ID, null, LocalDate.of(2024, 1, 1), "Merged"))
                .expectEvents(new ActivityCancelled(ID, LocalDate.of(2024, 1, 1), "Merged"));
    }

    @Test
    void cannotCancelACompletedActivity() {
        fixture.given(PROPOSED, COMMITTED, STARTED,
                        new ActivityCompleted(ID, LocalDate.of(2025, 2, 27), Money.of("1", "MAD"), 1))
                .when(new CancelActivity(ID, null, LocalDate.of(2025, 3, 1), "Too late"))
                .expectNoEvents()
                .expectException(refusedInState("COMPLETED"));
    }

    @Test
    void cannotMoveACancelledActivity() {
        fixture.given(PROPOSED, new ActivityCancelled(ID, LocalDate.of(2024, 1, 1), "Merged"))
                .when(new CommitActivity(ID, null, Money.of("1", "MAD"), LocalDate.of(2024, 2, 1)))
                .expectNoEvents()
                .expectException(TransitionRefused.class);
    }

    @Test
    void aRevisionKeepsTheStateAndCarriesTheWholePlan() {
        fixture.given(PROPOSED, COMMITTED)
                .when(new ReviseActivity(ID, null, null, null, null, List.of("ORIENTAL"), null, null, null,
                        "Moved east"))
                .expectEvents(new ActivityRevised(ID, "Dual training", "Work-linked placements",
                        List.of("WORK_LINKED_TRAINING"), List.of("ORIENTAL"), List.of("YOUTH"), PLAN, BUDGET,
                        ActivityBudgetByYearTest.PRO_RATA, "Moved east"));
        fixture.given(PROPOSED, COMMITTED, new ActivityRevised(ID, "Dual training", "Work-linked placements",
                        List.of("WORK_LINKED_TRAINING"), List.of("ORIENTAL"), List.of("YOUTH"), PLAN, BUDGET,
                        ActivityBudgetByYearTest.PRO_RATA, "x"))
                .when(new StartActivity(ID, null, LocalDate.of(2024, 3, 4)))
                .expectEvents(STARTED);
    }

    @Test
    void cannotReviseTheBudgetCurrencyOnceCommitted() {
        fixture.given(PROPOSED, COMMITTED)
                .when(new ReviseActivity(ID, null, null, null, null, null, null, null, Money.of("100000", "EUR"),
                        "Donor pays in euros"))
                .expectNoEvents()
                .expectException(InvalidInput.class);
    }

    @Test
    void cannotReviseOntoAnUnknownAxis() {
        fixture.given(PROPOSED)
                .when(new ReviseActivity(ID, null, null, null, List.of("NOPE"), null, null, null, null, "x"))
                .expectNoEvents()
                .expectException(InvalidInput.class);
    }

    @Test
    void aRevisionThatChangesNothingIsRefused() {
        fixture.given(PROPOSED)
                .when(new ReviseActivity(ID, null, "Dual training", null, null, null, null, null, null, "same"))
                .expectNoEvents()
                .expectException(InvalidInput.class);
    }

    @Test
    void aRegisteredAgencyJoinsAsPartner() {
        fixture.given(PROPOSED)
                .when(new AddPartner(ID, null, "OFPPT", PartnerRole.IMPLEMENTING))
                .expectEvents(new PartnerJoined(ID, "OFPPT", PartnerRole.IMPLEMENTING));
    }

    @Test
    void aPartnerDoesNotJoinTwiceInTheSameRole() {
        fixture.given(PROPOSED)
                .when(new AddPartner(ID, null, "GIZ", PartnerRole.FUNDING))
                .expectNoEvents()
                .expectException(TransitionRefused.class);
    }

    @Test
    void theLeadAgencyIsNotItsOwnPartner() {
        fixture.given(PROPOSED)
                .when(new AddPartner(ID, null, "ANAPEC", PartnerRole.FUNDING))
                .expectNoEvents()
                .expectException(InvalidInput.class);
    }

    private static Matcher<Throwable> refusedInState(String state) {
        return new CustomTypeSafeMatcher<>("a refused transition in state " + state) {
            @Override
            protected boolean matchesSafely(Throwable failure) {
                return failure instanceof TransitionRefused refused && refused.currentState().equals(state);
            }
        };
    }

    static Matcher<Throwable> violationsOn(String... fields) {
        return new CustomTypeSafeMatcher<>("invalid input on exactly " + List.of(fields)) {
            @Override
            protected boolean matchesSafely(Throwable failure) {
                return failure instanceof InvalidInput invalid && Set.copyOf(invalid.violations().stream()
                        .map(InvalidInput.FieldViolation::field).toList()).equals(Set.of(fields));
            }
        };
    }

    /** The registry as the rules see it, without a database. */
    record KnownCodes(Set<String> agencies, Set<String> axes) implements Registry {

        @Override
        public boolean isRegisteredAgency(String agencyCode) {
            return agencies.contains(agencyCode);
        }

        @Override
        public boolean isDefinedAxis(String axisCode) {
            return axes.contains(axisCode);
        }
    }
}
