package org.convergenceledger.command.activity;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.convergenceledger.command.coordination.ActivityDirectory;
import org.convergenceledger.command.coordination.ClosedPeriods;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.convergenceledger.command.system.InvalidInput;
import org.convergenceledger.events.LedgerMetadata;
import org.convergenceledger.events.activity.ActivityProposed;
import org.convergenceledger.events.activity.ProposeActivity;
import org.convergenceledger.events.common.Money;
import org.convergenceledger.events.common.Partner;
import org.convergenceledger.events.common.PartnerRole;
import org.convergenceledger.events.common.Period;
import org.convergenceledger.events.common.YearlyAmount;
import org.junit.jupiter.api.Test;

/** The content an import's dry run checks is what the aggregate refuses: the same rules, not a copy of them. */
class ActivityContentTest {

    private static final ActivityTest.KnownCodes REGISTRY = new ActivityTest.KnownCodes(
            Set.of("ANAPEC", "GIZ", "OFPPT"), Set.of("WORK_LINKED_TRAINING", "GENDER"));
    private static final Period PLAN = new Period(LocalDate.of(2024, 3, 1), LocalDate.of(2025, 2, 28));
    private static final ProposeActivity VALID = new ProposeActivity("ANAPEC:IATI-1", "ANAPEC", "Dual training",
            null, List.of("WORK_LINKED_TRAINING"), List.of("ORIENTAL"), List.of("YOUTH"), PLAN,
            Money.of("1000.00", "MAD"), List.of(new Partner("GIZ", PartnerRole.FUNDING)));

    @Test
    void aProposalTheContentRulesPassIsOneTheAggregateTakes() {
        assertThat(ActivityContent.violations(VALID, REGISTRY)).isEmpty();
        fixture().givenNoPriorActivity().when(VALID).expectSuccessfulHandlerExecution()
                .expectEvents(new ActivityProposed(VALID.activityId(), "ANAPEC", VALID.title(), null, VALID.axes(),
                        VALID.regions(), VALID.targetGroups(), PLAN, VALID.plannedBudget(),
                        List.of(new YearlyAmount(2024, new BigDecimal("838.36")),
                                new YearlyAmount(2025, new BigDecimal("161.64"))), VALID.partners()));
    }

    @Test
    void everyContentRuleTheAggregateBreaksTheCheckNamesTheSameWay() {
        List<ProposeActivity> broken = List.of(
                with(" ", List.of("WORK_LINKED_TRAINING"), List.of("YOUTH"), PLAN, VALID.plannedBudget(),
                        VALID.partners()),
                with("T", List.of("NO_SUCH_AXIS"), List.of(), new Period(PLAN.end(), PLAN.start()),
                        Money.of("-1", "XXY"), List.of(new Partner("ANAPEC", null))),
                with("T", List.of(), List.of("YOUTH", "YOUTH"), null, null,
                        List.of(new Partner("NOBODY", PartnerRole.FUNDING))));
        for (ProposeActivity proposal : broken) {
            List<InvalidInput.FieldViolation> violations = ActivityContent.violations(proposal, REGISTRY);

            assertThat(violations).isNotEmpty();
            fixture().givenNoPriorActivity().when(proposal).expectException(InvalidInput.class)
                    .expectExceptionMessage(new InvalidInput(violations).getMessage());
        }
    }

    @Test
    void anActivityIdReadsAgencyColonReference() {
        assertThat(ActivityContent.isActivityId("ILO:APP-2026.1_a")).isTrue();
        assertThat(ActivityContent.isActivityId("ILO:APP/2026")).isFalse();
        assertThat(ActivityContent.isActivityId("ilo:APP")).isFalse();
        assertThat(ActivityContent.isActivityId(null)).isFalse();
    }

    private static ProposeActivity with(String title, List<String> axes, List<String> groups, Period period,
                                        Money budget, List<Partner> partners) {
        return new ProposeActivity(VALID.activityId(), "ANAPEC", title, null, axes, List.of("ORIENTAL"), groups,
                period, budget, partners);
    }

    private static FixtureConfiguration<Activity> fixture() {
        FixtureConfiguration<Activity> fixture = new AggregateTestFixture<>(Activity.class);
        fixture.registerInjectableResource(REGISTRY);
        // No period closed, no activity taken: the content rules alone decide.
        fixture.registerInjectableResource((ClosedPeriods) (agency, dated) -> Optional.empty());
        fixture.registerInjectableResource((ActivityDirectory) id -> false);
        fixture.registerCommandDispatchInterceptor(messages -> (index, message) ->
                message.andMetaData(Map.of(LedgerMetadata.RECORDED_BY, "ANAPEC")));
        return fixture;
    }
}
