package org.convergenceledger.query.convergence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.convergenceledger.events.common.ActivityState;
import org.junit.jupiter.api.Test;

class PairRulesTest {

    private static ActivityScope activity(String id, String lead, ActivityState state, List<String> regions,
                                          List<String> groups, String start, String end, Set<String> partners) {
        return ActivityScope.of(id, lead, state, List.of("WORK_LINKED_TRAINING"), regions, groups,
                LocalDate.parse(start), LocalDate.parse(end), partners, false);
    }

    private static final ActivityScope ANAPEC = activity("ANAPEC:A", "ANAPEC", ActivityState.STARTED,
            List.of("TANGER_TETOUAN_AL_HOCEIMA"), List.of("YOUTH", "JOB_SEEKERS"), "2024-03-01", "2025-02-28",
            Set.of());

    @Test
    void differentAgenciesSharingACellDuringOverlappingPeriodsAreALikelyDuplication() {
        ActivityScope ofppt = activity("OFPPT:B", "OFPPT", ActivityState.COMMITTED,
                List.of("TANGER_TETOUAN_AL_HOCEIMA"), List.of("YOUTH"), "2024-06-01", "2025-06-30", Set.of());

        PairRules.Pair pair = PairRules.pair(ANAPEC, ofppt).orElseThrow();

        assertThat(pair.kind()).isEqualTo(PairRules.Kind.DUPLICATION);
        assertThat(pair.a()).isEqualTo("ANAPEC:A");
        assertThat(pair.sharedGroups()).containsExactly("YOUTH");
        assertThat(pair.overlapStart()).isEqualTo(LocalDate.of(2024, 6, 1));
        assertThat(pair.overlapEnd()).isEqualTo(LocalDate.of(2025, 2, 28));
        assertThat(pair.overlapDays()).isEqualTo(273);
        // one shared cell of ofppt's one (1.0) × 273 overlapping days of ANAPEC's 365 (the shorter period)
        assertThat(pair.score()).isEqualByComparingTo("0.7479");
    }

    @Test
    void aDeclaredPartnershipOnEitherActivityMakesThePairJoint() {
        ActivityScope ofppt = activity("OFPPT:B", "OFPPT", ActivityState.COMMITTED,
                List.of("TANGER_TETOUAN_AL_HOCEIMA"), List.of("YOUTH"), "2024-06-01", "2025-06-30", Set.of("ANAPEC"));

        assertThat(PairRules.pair(ANAPEC, ofppt).orElseThrow().kind()).isEqualTo(PairRules.Kind.JOINT);
        assertThat(PairRules.pair(ofppt, ANAPEC).orElseThrow().kind()).isEqualTo(PairRules.Kind.JOINT);
    }

    @Test
    void aCancelledActivityDuplicatesNothing() {
        ActivityScope cancelled = activity("OFPPT:B", "OFPPT", ActivityState.CANCELLED,
                List.of("TANGER_TETOUAN_AL_HOCEIMA"), List.of("YOUTH"), "2024-06-01", "2025-06-30", Set.of());

        assertThat(PairRules.pair(ANAPEC, cancelled)).isEmpty();
    }

    @Test
    void anActivityCompletedBeforeTheOtherStartsDuplicatesNothing() {
        ActivityScope completedEarly = activity("OFPPT:B", "OFPPT", ActivityState.COMPLETED,
                List.of("TANGER_TETOUAN_AL_HOCEIMA"), List.of("YOUTH"), "2023-06-01", "2024-02-29", Set.of());

        assertThat(PairRules.pair(ANAPEC, completedEarly)).isEmpty();
    }

    @Test
    void twoActivitiesOfTheSameAgencyAreItsOwnBusiness() {
        ActivityScope sameLead = activity("ANAPEC:C", "ANAPEC", ActivityState.PROPOSED,
                List.of("TANGER_TETOUAN_AL_HOCEIMA"), List.of("YOUTH"), "2024-06-01", "2025-06-30", Set.of());

        assertThat(PairRules.pair(ANAPEC, sameLead)).isEmpty();
    }

    @Test
    void sharingAnAxisAndRegionButNoTargetGroupIsNoDuplication() {
        ActivityScope women = activity("OFPPT:B", "OFPPT", ActivityState.PROPOSED,
                List.of("TANGER_TETOUAN_AL_HOCEIMA"), List.of("WOMEN"), "2024-06-01", "2025-06-30", Set.of());

        assertThat(PairRules.pair(ANAPEC, women)).isEmpty();
    }

    @Test
    void anActivityThatMovedToAnotherIdentifierOccupiesNothingUnderTheOldOne() {
        ActivityScope moved = ActivityScope.of("ANAPEC:OLD", "ANAPEC", ActivityState.STARTED, List.of("X"),
                List.of("Y"), List.of("Z"), LocalDate.of(2024, 1, 1), LocalDate.of(2024, 12, 31), Set.of(), true);
        ActivityScope other = ActivityScope.of("OFPPT:B", "OFPPT", ActivityState.STARTED, List.of("X"), List.of("Y"),
                List.of("Z"), LocalDate.of(2024, 1, 1), LocalDate.of(2024, 12, 31), Set.of(), false);

        assertThat(moved.occupying()).isFalse();
        assertThat(PairRules.pair(moved, other)).isEmpty();
    }

    @Test
    void aCompletionDatedBeforeThePlannedStartCountsAsOneDay() {
        ActivityScope odd = ActivityScope.of("OFPPT:B", "OFPPT", ActivityState.COMPLETED, List.of("X"), List.of("Y"),
                List.of("Z"), LocalDate.of(2024, 5, 1), LocalDate.of(2024, 4, 1), Set.of(), false);

        assertThat(odd.end()).isEqualTo(odd.start());
    }
}
