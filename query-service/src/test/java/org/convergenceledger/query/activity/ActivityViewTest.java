package org.convergenceledger.query.activity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
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
import org.convergenceledger.events.common.PartnerRole;
import org.convergenceledger.events.common.Period;
import org.convergenceledger.query.convergence.Contribution;
import org.junit.jupiter.api.Test;

class ActivityViewTest {

    private static final String ID = "ANAPEC:WLT-2024-07";
    private static final Instant RECORDED = Instant.parse("2024-03-01T09:00:00Z");
    private static final Money PLANNED = Money.of("1250000.00", "MAD");
    private static final Money COMMITTED = Money.of("1200000.00", "MAD");
    private static final ActivityProposed PROPOSED = new ActivityProposed(ID, "ANAPEC",
            "Dual training for young job seekers in Tanger", "Six-month work-linked placements",
            List.of("WORK_LINKED_TRAINING", "SKILLS_PARTNERSHIP"), List.of("TANGER_TETOUAN_AL_HOCEIMA"),
            List.of("YOUTH", "JOB_SEEKERS"), new Period(LocalDate.of(2024, 3, 1), LocalDate.of(2025, 2, 28)),
            PLANNED, List.of(new Partner("GIZ", PartnerRole.FUNDING)));

    private static ActivityView proposed() {
        return ActivityView.proposed(PROPOSED).at(0, 10, RECORDED);
    }

    private static ActivityView started() {
        return proposed()
                .committed(new ActivityCommitted(ID, COMMITTED, LocalDate.of(2024, 2, 20))).at(1, 11, RECORDED)
                .started(new ActivityStarted(ID, LocalDate.of(2024, 3, 4))).at(2, 12, RECORDED);
    }

    @Test
    void aProposalShowsThePlanAndItsPartners() {
        ActivityView view = proposed();

        assertThat(view.state()).isEqualTo(ActivityState.PROPOSED);
        assertThat(view.leadAgency()).isEqualTo("ANAPEC");
        assertThat(view.partners()).containsExactly(new Partner("GIZ", PartnerRole.FUNDING));
        assertThat(view.plannedBudget()).isEqualTo(PLANNED);
        assertThat(view.version()).isZero();
        assertThat(view.lastGlobalSequence()).isEqualTo(10);
    }

    @Test
    void aLifecycleRecordsEachStepAndItsDate() {
        ActivityView completed = started()
                .completed(new ActivityCompleted(ID, LocalDate.of(2025, 2, 27), Money.of("1187450.50", "MAD"), 412))
                .at(3, 15, RECORDED);

        assertThat(completed.state()).isEqualTo(ActivityState.COMPLETED);
        assertThat(completed.committedAmount()).isEqualTo(COMMITTED);
        assertThat(completed.committedOn()).isEqualTo(LocalDate.of(2024, 2, 20));
        assertThat(completed.startedOn()).isEqualTo(LocalDate.of(2024, 3, 4));
        assertThat(completed.completedOn()).isEqualTo(LocalDate.of(2025, 2, 27));
        assertThat(completed.amountSpent()).isEqualTo(Money.of("1187450.50", "MAD"));
        assertThat(completed.beneficiariesReached()).isEqualTo(412L);
        assertThat(completed.version()).isEqualTo(3);
        assertThat(completed.lastGlobalSequence()).isEqualTo(15);
    }

    @Test
    void resumingClearsTheSuspension() {
        ActivityView suspended = started()
                .suspended(new ActivitySuspended(ID, LocalDate.of(2024, 6, 1), "floods")).at(3, 13, RECORDED);
        ActivityView resumed = suspended.resumed(new ActivityResumed(ID, LocalDate.of(2024, 7, 1))).at(4, 14, RECORDED);

        assertThat(suspended.state()).isEqualTo(ActivityState.SUSPENDED);
        assertThat(suspended.suspendedOn()).isEqualTo(LocalDate.of(2024, 6, 1));
        assertThat(resumed.state()).isEqualTo(ActivityState.STARTED);
        assertThat(resumed.suspendedOn()).isNull();
    }

    @Test
    void aRevisionReplacesThePlanAndKeepsTheState() {
        ActivityView revised = started().revised(new ActivityRevised(ID, "New title", "New description",
                List.of("GENDER"), List.of("NATIONAL"), List.of("WOMEN"),
                new Period(LocalDate.of(2024, 3, 1), LocalDate.of(2025, 6, 30)), Money.of("1400000.00", "MAD"),
                "extended")).at(3, 16, RECORDED);

        assertThat(revised.state()).isEqualTo(ActivityState.STARTED);
        assertThat(revised.axes()).containsExactly("GENDER");
        assertThat(revised.regions()).containsExactly("NATIONAL");
        assertThat(revised.targetGroups()).containsExactly("WOMEN");
        assertThat(revised.plannedBudget()).isEqualTo(Money.of("1400000.00", "MAD"));
        assertThat(revised.committedAmount()).isEqualTo(COMMITTED);
    }

    @Test
    void aPartnerJoiningTwiceIsListedOnce() {
        PartnerJoined joined = new PartnerJoined(ID, "OFPPT", PartnerRole.IMPLEMENTING);
        ActivityView view = proposed().partnerJoined(joined).at(1, 11, RECORDED).partnerJoined(joined);

        assertThat(view.partners()).containsExactly(
                new Partner("GIZ", PartnerRole.FUNDING), new Partner("OFPPT", PartnerRole.IMPLEMENTING));
    }

    @Test
    void anEventAtOrBelowTheViewsVersionIsAlreadyApplied() {
        ActivityView view = started();

        assertThat(view.alreadyApplied(1)).isTrue();
        assertThat(view.alreadyApplied(2)).isTrue();
        assertThat(view.alreadyApplied(3)).isFalse();
    }

    @Test
    void aCancelledActivityKeepsItsCountButNotItsMoney() {
        ActivityView cancelled = started()
                .cancelled(new ActivityCancelled(ID, LocalDate.of(2024, 5, 1), "funding withdrawn"))
                .at(3, 17, RECORDED);

        Contribution contribution = cancelled.contribution();

        assertThat(contribution.state()).isEqualTo(ActivityState.CANCELLED);
        assertThat(contribution.axes()).isEqualTo(Set.of("WORK_LINKED_TRAINING", "SKILLS_PARTNERSHIP"));
        assertThat(contribution.leadAgency()).isEqualTo("ANAPEC");
        assertThat(contribution.planned()).isNull();
        assertThat(contribution.committed()).isNull();
        assertThat(cancelled.cancelReason()).isEqualTo("funding withdrawn");
    }

    @Test
    void aCommittedActivityContributesItsPlanAndItsCommitment() {
        ActivityView committed = proposed()
                .committed(new ActivityCommitted(ID, COMMITTED, LocalDate.of(2024, 2, 20))).at(1, 11, RECORDED);

        Contribution contribution = committed.contribution();

        assertThat(contribution.state()).isEqualTo(ActivityState.COMMITTED);
        assertThat(contribution.planned()).isEqualTo(PLANNED);
        assertThat(contribution.committed()).isEqualTo(COMMITTED);
        assertThat(contribution.spent()).isNull();
    }
}
