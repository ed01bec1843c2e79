package org.convergenceledger.query.convergence;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;
import org.convergenceledger.events.common.ActivityState;
import org.convergenceledger.events.common.Money;
import org.convergenceledger.query.convergence.ConvergenceDelta.AxisKey;
import org.convergenceledger.query.convergence.ConvergenceDelta.BudgetKey;
import org.junit.jupiter.api.Test;

class ConvergenceDeltaTest {

    private static final String WLT = "WORK_LINKED_TRAINING";
    private static final String SKILLS = "SKILLS_PARTNERSHIP";
    private static final Money PLANNED_MAD = Money.of("1250000.00", "MAD");
    private static final Money COMMITTED_EUR = Money.of("110000.00", "EUR");

    private static Contribution proposed(Set<String> axes, Money planned) {
        return new Contribution(axes, ActivityState.PROPOSED, "ANAPEC", planned, null, null);
    }

    @Test
    void aNewActivityCountsOnceOnEachOfItsAxes() {
        ConvergenceDelta delta =
                ConvergenceDelta.between(Contribution.NONE, proposed(Set.of(WLT, SKILLS), PLANNED_MAD));

        assertThat(delta.byState()).containsExactlyInAnyOrderEntriesOf(Map.of(
                new AxisKey(WLT, "PROPOSED"), 1L,
                new AxisKey(SKILLS, "PROPOSED"), 1L));
        assertThat(delta.byAgency()).containsExactlyInAnyOrderEntriesOf(Map.of(
                new AxisKey(WLT, "ANAPEC"), 1L,
                new AxisKey(SKILLS, "ANAPEC"), 1L));
        assertThat(delta.budget()).containsExactlyInAnyOrderEntriesOf(Map.of(
                new BudgetKey(WLT, BudgetMeasure.PLANNED, "MAD"), new BigDecimal("1250000.00"),
                new BudgetKey(SKILLS, BudgetMeasure.PLANNED, "MAD"), new BigDecimal("1250000.00")));
    }

    @Test
    void committedBudgetIsGroupedByCurrency() {
        Contribution before = proposed(Set.of(WLT), PLANNED_MAD);
        Contribution after = new Contribution(Set.of(WLT), ActivityState.COMMITTED, "ANAPEC", PLANNED_MAD,
                COMMITTED_EUR, null);

        ConvergenceDelta delta = ConvergenceDelta.between(before, after);

        // The MAD plan is untouched; the EUR commitment stands on its own, never added to MAD.
        assertThat(delta.budget()).containsExactlyEntriesOf(Map.of(
                new BudgetKey(WLT, BudgetMeasure.COMMITTED, "EUR"), new BigDecimal("110000.00")));
    }

    @Test
    void aStateChangeMovesTheActivityFromOneStateCountToTheNext() {
        Contribution before = new Contribution(Set.of(WLT), ActivityState.COMMITTED, "ANAPEC", PLANNED_MAD,
                COMMITTED_EUR, null);
        Contribution after = new Contribution(Set.of(WLT), ActivityState.STARTED, "ANAPEC", PLANNED_MAD,
                COMMITTED_EUR, null);

        ConvergenceDelta delta = ConvergenceDelta.between(before, after);

        assertThat(delta.byState()).containsExactlyInAnyOrderEntriesOf(Map.of(
                new AxisKey(WLT, "COMMITTED"), -1L,
                new AxisKey(WLT, "STARTED"), 1L));
        assertThat(delta.byAgency()).isEmpty();
        assertThat(delta.budget()).isEmpty();
    }

    @Test
    void aRevisionThatMovesAxesMovesTheWholeContribution() {
        Contribution before = proposed(Set.of(WLT), PLANNED_MAD);
        Contribution after = proposed(Set.of(SKILLS), Money.of("900000.00", "MAD"));

        ConvergenceDelta delta = ConvergenceDelta.between(before, after);

        assertThat(delta.byState()).containsExactlyInAnyOrderEntriesOf(Map.of(
                new AxisKey(WLT, "PROPOSED"), -1L,
                new AxisKey(SKILLS, "PROPOSED"), 1L));
        assertThat(delta.budget()).containsExactlyInAnyOrderEntriesOf(Map.of(
                new BudgetKey(WLT, BudgetMeasure.PLANNED, "MAD"), new BigDecimal("-1250000.00"),
                new BudgetKey(SKILLS, BudgetMeasure.PLANNED, "MAD"), new BigDecimal("900000.00")));
    }

    @Test
    void aPlanRevisedInAnotherCurrencyLeavesTheOldCurrencyAtZero() {
        Contribution before = proposed(Set.of(WLT), PLANNED_MAD);
        Contribution after = proposed(Set.of(WLT), Money.of("115000.00", "EUR"));

        ConvergenceDelta delta = ConvergenceDelta.between(before, after);

        assertThat(delta.budget()).containsExactlyInAnyOrderEntriesOf(Map.of(
                new BudgetKey(WLT, BudgetMeasure.PLANNED, "EUR"), new BigDecimal("115000.00"),
                new BudgetKey(WLT, BudgetMeasure.PLANNED, "MAD"), new BigDecimal("-1250000.00")));
    }

    @Test
    void aChangeThatLeavesTheContributionAloneChangesNothing() {
        Contribution same = proposed(Set.of(WLT, SKILLS), PLANNED_MAD);

        assertThat(ConvergenceDelta.between(same, same).isEmpty()).isTrue();
    }

    @Test
    void amountsWrittenWithAnotherScaleStillCancelOut() {
        Contribution before = proposed(Set.of(WLT), Money.of("1250000.00", "MAD"));
        Contribution after = proposed(Set.of(WLT), Money.of("1250000", "MAD"));

        assertThat(ConvergenceDelta.between(before, after).isEmpty()).isTrue();
    }
}
