package org.convergenceledger.query.activity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.convergenceledger.events.activity.ActivityCancelled;
import org.convergenceledger.events.activity.ActivityCommitted;
import org.convergenceledger.events.activity.ActivityCompleted;
import org.convergenceledger.events.activity.ActivityEvent;
import org.convergenceledger.events.activity.ActivityMovedIn;
import org.convergenceledger.events.activity.ActivityRekeyed;
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
import org.convergenceledger.events.common.ActivityState;
import org.convergenceledger.events.common.Money;
import org.convergenceledger.events.common.Partner;
import org.convergenceledger.events.common.PartnerRole;
import org.convergenceledger.events.common.PartnerStanding;
import org.convergenceledger.events.common.PartnershipStatus;
import org.convergenceledger.events.common.Period;
import org.convergenceledger.events.common.YearlyAmount;
import org.convergenceledger.query.convergence.ActivityScope;
import org.convergenceledger.query.convergence.Contribution;
import org.junit.jupiter.api.Test;

class ActivityViewTest {

    private static final String ID = "ANAPEC:WLT-2024-07";
    private static final Instant RECORDED = Instant.parse("2024-03-01T09:00:00Z");
    private static final Money PLANNED = Money.of("1250000.00", "MAD");
    private static final Money COMMITTED = Money.of("1200000.00", "MAD");
    static final ActivityProposed PROPOSED = new ActivityProposed(ID, "ANAPEC",
            "Dual training for young job seekers in Tanger", "Six-month work-linked placements",
            List.of("WORK_LINKED_TRAINING", "SKILLS_PARTNERSHIP"), List.of("TANGER_TETOUAN_AL_HOCEIMA"),
            List.of("YOUTH", "JOB_SEEKERS"), new Period(LocalDate.of(2024, 3, 1), LocalDate.of(2025, 2, 28)),
            PLANNED, List.of(new YearlyAmount(2024, new BigDecimal("1047945.21")),
                    new YearlyAmount(2025, new BigDecimal("202054.79"))),
            List.of(new Partner("GIZ", PartnerRole.FUNDING)));

    private static ActivityView proposed() {
        return ActivityView.proposed(PROPOSED).with(new ActivityView.Version(0, 10, RECORDED));
    }

    private static ActivityView then(ActivityView view, ActivityEvent event, long sequence, long globalSequence) {
        return view.then(event).with(new ActivityView.Version(sequence, globalSequence, RECORDED));
    }

    private static ActivityView started() {
        ActivityView committed = then(proposed(), new ActivityCommitted(ID, COMMITTED, LocalDate.of(2024, 2, 20)),
                1, 11);
        return then(committed, new ActivityStarted(ID, LocalDate.of(2024, 3, 4)), 2, 12);
    }

    @Test
    void aProposalShowsThePlanAndItsPartners() {
        ActivityView view = proposed();

        assertThat(view.state()).isEqualTo(ActivityState.PROPOSED);
        assertThat(view.leadAgency()).isEqualTo("ANAPEC");
        assertThat(view.partners()).containsExactly(new ActivityView.Partnership("GIZ", PartnerRole.FUNDING,
                PartnershipStatus.CLAIMED, null));
        assertThat(view.plan().budget()).isEqualTo(PLANNED);
        assertThat(view.commitment()).isNull();
        assertThat(view.version().sequence()).isZero();
        assertThat(view.version().globalSequence()).isEqualTo(10);
    }

    @Test
    void aLifecycleRecordsEachStepAndItsDate() {
        ActivityView completed = then(started(),
                new ActivityCompleted(ID, LocalDate.of(2025, 2, 27), Money.of("1187450.50", "MAD"), 412), 3, 15);

        assertThat(completed.state()).isEqualTo(ActivityState.COMPLETED);
        assertThat(completed.commitment().amount()).isEqualTo(COMMITTED);
        assertThat(completed.commitment().on()).isEqualTo(LocalDate.of(2024, 2, 20));
        assertThat(completed.execution().startedOn()).isEqualTo(LocalDate.of(2024, 3, 4));
        assertThat(completed.execution().completedOn()).isEqualTo(LocalDate.of(2025, 2, 27));
        assertThat(completed.execution().amountSpent()).isEqualTo(Money.of("1187450.50", "MAD"));
        assertThat(completed.execution().beneficiariesReached()).isEqualTo(412L);
        assertThat(completed.version().sequence()).isEqualTo(3);
        assertThat(completed.version().globalSequence()).isEqualTo(15);
    }

    @Test
    void resumingClearsTheSuspension() {
        ActivityView suspended = then(started(), new ActivitySuspended(ID, LocalDate.of(2024, 6, 1), "floods"), 3, 13);
        ActivityView resumed = then(suspended, new ActivityResumed(ID, LocalDate.of(2024, 7, 1)), 4, 14);

        assertThat(suspended.state()).isEqualTo(ActivityState.SUSPENDED);
        assertThat(suspended.hold().suspendedOn()).isEqualTo(LocalDate.of(2024, 6, 1));
        assertThat(resumed.state()).isEqualTo(ActivityState.STARTED);
        assertThat(resumed.hold().suspendedOn()).isNull();
    }

    @Test
    void aRevisionReplacesThePlanAndKeepsTheState() {
        ActivityView revised = then(started(), new ActivityRevised(ID, "New title", "New description",
                List.of("GENDER"), List.of("NATIONAL"), List.of("WOMEN"),
                new Period(LocalDate.of(2024, 3, 1), LocalDate.of(2025, 6, 30)), Money.of("1400000.00", "MAD"),
                List.of(new YearlyAmount(2024, new BigDecimal("900000.00")),
                        new YearlyAmount(2025, new BigDecimal("500000.00"))), "extended"), 3, 16);

        assertThat(revised.state()).isEqualTo(ActivityState.STARTED);
        assertThat(revised.plan().axes()).containsExactly("GENDER");
        assertThat(revised.plan().regions()).containsExactly("NATIONAL");
        assertThat(revised.plan().targetGroups()).containsExactly("WOMEN");
        assertThat(revised.plan().budget()).isEqualTo(Money.of("1400000.00", "MAD"));
        assertThat(revised.plan().budgetByYear()).extracting(YearlyAmount::year).containsExactly(2024, 2025);
        assertThat(started().plan().budgetByYear()).isEqualTo(PROPOSED.plannedBudgetByYear());
        assertThat(revised.commitment().amount()).isEqualTo(COMMITTED);
    }

    @Test
    void aPartnerJoiningTwiceIsListedOnce() {
        PartnerJoined joined = new PartnerJoined(ID, "OFPPT", PartnerRole.IMPLEMENTING);
        ActivityView view = then(then(proposed(), joined, 1, 11), joined, 2, 12);

        assertThat(view.partners()).extracting(ActivityView.Partnership::agency).containsExactly("GIZ", "OFPPT");
    }

    @Test
    void anActivityThatMovedCountsNowhereUnderItsOldIdentifierAndArrivesWholeUnderTheNewOne() {
        ActivityView started = started();
        ActivityView left = then(started, new ActivityRekeyed(ID, "OFPPT:WLT-2024-07", "OFPPT", "transfer"), 3, 13);

        assertThat(left.movedTo()).isEqualTo("OFPPT:WLT-2024-07");
        assertThat(left.contribution()).isNull();
        assertThat(left.scope().occupying()).isFalse();
        assertThat(left.state()).isEqualTo(ActivityState.STARTED);

        ActivityView arrived = ActivityView.first(new ActivityMovedIn("OFPPT:WLT-2024-07", ID, "OFPPT",
                ActivityState.STARTED, "Dual training", null, List.of("WORK_LINKED_TRAINING"),
                List.of("TANGER_TETOUAN_AL_HOCEIMA"), List.of("YOUTH"), started.plan().period(), PLANNED,
                started.plan().budgetByYear(), List.of(new PartnerStanding("GIZ", PartnerRole.FUNDING, PartnershipStatus.CONTESTED, "not ours")),
                COMMITTED, LocalDate.of(2024, 2, 20), LocalDate.of(2024, 3, 4), null, null, null, null, null, null,
                "transfer"));
        assertThat(arrived.movedTo()).isNull();
        assertThat(arrived.leadAgency()).isEqualTo("OFPPT");
        assertThat(arrived.execution().startedOn()).isEqualTo(LocalDate.of(2024, 3, 4));
        assertThat(arrived.commitment().amount()).isEqualTo(COMMITTED);
        assertThat(arrived.partners()).containsExactly(new ActivityView.Partnership("GIZ", PartnerRole.FUNDING,
                PartnershipStatus.CONTESTED, "not ours"));
        assertThat(arrived.scope().occupying()).isTrue();
        assertThat(arrived.plan().budgetByYear()).isEqualTo(started.plan().budgetByYear());
    }

    @Test
    void aNamedPartnerIsClaimedUntilItConfirmsAndOnlyThenCountsForTheDuplicationRules() {
        ActivityView claimed = proposed();
        ActivityView confirmed = then(claimed,
                new PartnershipConfirmed(ID, "GIZ", List.of(PartnerRole.FUNDING)), 1, 11);

        assertThat(claimed.scope().partnerAgencies()).isEmpty();
        assertThat(confirmed.partners()).containsExactly(new ActivityView.Partnership("GIZ", PartnerRole.FUNDING,
                PartnershipStatus.CONFIRMED, null));
        assertThat(confirmed.scope().partnerAgencies()).containsExactly("GIZ");
    }

    @Test
    void aContestedPartnershipKeepsItsReasonAndDoesNotCount() {
        ActivityView contested = then(proposed(),
                new PartnershipContested(ID, "GIZ", List.of(PartnerRole.FUNDING), "we fund OFPPT's programme"), 1, 11);

        assertThat(contested.partners()).containsExactly(new ActivityView.Partnership("GIZ", PartnerRole.FUNDING,
                PartnershipStatus.CONTESTED, "we fund OFPPT's programme"));
        assertThat(contested.scope().partnerAgencies()).isEmpty();
        assertThat(contested.namedPartners()).hasSize(1);
    }

    @Test
    void aRequestAcceptedByTheLeadIsConfirmedAtOnceAndADeclinedOneIsNoPartner() {
        ActivityView asked = then(proposed(),
                new PartnershipRequested(ID, "OFPPT", PartnerRole.IMPLEMENTING), 1, 11);
        ActivityView accepted = then(asked, new PartnerJoined(ID, "OFPPT", PartnerRole.IMPLEMENTING), 2, 12);
        ActivityView declined = then(asked,
                new PartnershipDeclined(ID, "OFPPT", PartnerRole.IMPLEMENTING, "we implement it ourselves"), 2, 12);

        assertThat(asked.namedPartners()).extracting(ActivityView.Partnership::agency).containsExactly("GIZ");
        assertThat(accepted.scope().partnerAgencies()).containsExactly("OFPPT");
        assertThat(declined.sortedPartners()).contains(new ActivityView.Partnership("OFPPT",
                PartnerRole.IMPLEMENTING, PartnershipStatus.DECLINED, "we implement it ourselves"));
        assertThat(declined.namedPartners()).extracting(ActivityView.Partnership::agency).containsExactly("GIZ");
    }

    @Test
    void anEventAtOrBelowTheViewsVersionIsAlreadyApplied() {
        ActivityView view = started();

        assertThat(view.alreadyApplied(1)).isTrue();
        assertThat(view.alreadyApplied(2)).isTrue();
        assertThat(view.alreadyApplied(3)).isFalse();
    }

    @Test
    void aCancelledActivityNoLongerOccupiesItsCellsButStillCounts() {
        ActivityView cancelled = then(started(),
                new ActivityCancelled(ID, LocalDate.of(2024, 5, 1), "funding withdrawn"), 3, 17);

        Contribution contribution = cancelled.contribution();
        ActivityScope scope = cancelled.scope();

        assertThat(contribution.state()).isEqualTo(ActivityState.CANCELLED);
        assertThat(contribution.axes()).containsExactly("WORK_LINKED_TRAINING", "SKILLS_PARTNERSHIP");
        assertThat(contribution.leadAgency()).isEqualTo("ANAPEC");
        assertThat(scope.occupying()).isFalse();
        assertThat(cancelled.hold().cancelReason()).isEqualTo("funding withdrawn");
    }

    @Test
    void aCommittedActivityContributesItsPlanAndItsCommitment() {
        ActivityView committed = then(proposed(), new ActivityCommitted(ID, COMMITTED, LocalDate.of(2024, 2, 20)),
                1, 11);

        Contribution contribution = committed.contribution();

        assertThat(contribution.state()).isEqualTo(ActivityState.COMMITTED);
        assertThat(contribution.planned()).isEqualTo(PLANNED);
        assertThat(contribution.committed()).isEqualTo(COMMITTED);
        assertThat(contribution.committedOn()).isEqualTo(LocalDate.of(2024, 2, 20));
        assertThat(contribution.spent()).isNull();
    }

    @Test
    void theFootprintIsTheActualPeriodOnceKnownAndIgnoresTheOrderOfThePlan() {
        ActivityView started = started();
        ActivityView reordered = then(started, new ActivityRevised(ID, PROPOSED.title(), PROPOSED.description(),
                List.of("SKILLS_PARTNERSHIP", "WORK_LINKED_TRAINING"), PROPOSED.regions(),
                List.of("JOB_SEEKERS", "YOUTH"), PROPOSED.plannedPeriod(), PLANNED, PROPOSED.plannedBudgetByYear(),
                "reordered"), 3, 13);

        assertThat(started.scope().start()).isEqualTo(LocalDate.of(2024, 3, 4));
        assertThat(started.scope().end()).isEqualTo(LocalDate.of(2025, 2, 28));
        assertThat(reordered.scope()).isEqualTo(started.scope());
    }
}
