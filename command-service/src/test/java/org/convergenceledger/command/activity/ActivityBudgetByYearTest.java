package org.convergenceledger.command.activity;

import static org.convergenceledger.command.activity.ActivityTest.violationsOn;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.convergenceledger.command.system.InvalidInput;
import org.convergenceledger.events.activity.ActivityProposed;
import org.convergenceledger.events.activity.ActivityRevised;
import org.convergenceledger.events.activity.ProposeActivity;
import org.convergenceledger.events.activity.ReviseActivity;
import org.convergenceledger.events.common.Money;
import org.convergenceledger.events.common.Partner;
import org.convergenceledger.events.common.PartnerRole;
import org.convergenceledger.events.common.Period;
import org.convergenceledger.events.common.YearlyAmount;
import org.convergenceledger.events.json.LedgerJson;
import org.convergenceledger.events.upcasting.LedgerUpcaster;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The planned budget's split by year: given by the sender and checked, or made pro rata of the period's days. */
class ActivityBudgetByYearTest {

    private static final String ID = "ANAPEC:WLT-2024-07";
    private static final Period PLAN = new Period(LocalDate.of(2024, 3, 1), LocalDate.of(2025, 2, 28));
    private static final Money BUDGET = Money.of("1250000.00", "MAD");
    /** 306 of the period's 365 days fall in 2024, 59 in 2025. */
    static final List<YearlyAmount> PRO_RATA = List.of(year(2024, "1047945.21"), year(2025, "202054.79"));
    private static final List<YearlyAmount> GIVEN = List.of(year(2024, "1000000.00"), year(2025, "250000.00"));
    private static final List<String> AXES = List.of("WORK_LINKED_TRAINING");
    private static final List<String> REGIONS = List.of("TANGER_TETOUAN_AL_HOCEIMA");
    private static final List<String> GROUPS = List.of("YOUTH");
    private static final List<Partner> PARTNERS = List.of(new Partner("GIZ", PartnerRole.FUNDING));

    private FixtureConfiguration<Activity> fixture;

    @BeforeEach
    void setUp() {
        fixture = ActivityTest.fixture(List.of());
    }

    private static YearlyAmount year(int year, String amount) {
        return new YearlyAmount(year, new BigDecimal(amount));
    }

    private static ProposeActivity proposal(List<YearlyAmount> split) {
        return new ProposeActivity(ID, "ANAPEC", "Dual training", "Work-linked placements", AXES, REGIONS, GROUPS,
                PLAN, BUDGET, split, PARTNERS);
    }

    private static ActivityProposed proposed(List<YearlyAmount> split) {
        return new ActivityProposed(ID, "ANAPEC", "Dual training", "Work-linked placements", AXES, REGIONS, GROUPS,
                PLAN, BUDGET, split, PARTNERS);
    }

    private static ActivityRevised revised(List<String> regions, Period period, Money budget,
                                           List<YearlyAmount> split, String reason) {
        return new ActivityRevised(ID, "Dual training", "Work-linked placements", AXES, regions, GROUPS, period, budget,
                split, reason);
    }

    @Test
    void aBudgetGivenWithoutASplitIsSplitProRataOfTheDaysInEachYear() {
        fixture.givenNoPriorActivity()
                .when(proposal(null))
                .expectEvents(proposed(PRO_RATA));
    }

    @Test
    void aSplitGivenIsKeptInYearOrder() {
        fixture.givenNoPriorActivity()
                .when(proposal(List.of(GIVEN.get(1), GIVEN.get(0))))
                .expectEvents(proposed(GIVEN));
    }

    @Test
    void aPeriodWithinOneYearPutsTheWholeBudgetInThatYear() {
        Period spring = new Period(LocalDate.of(2025, 3, 1), LocalDate.of(2025, 6, 30));
        fixture.givenNoPriorActivity()
                .when(new ProposeActivity(ID, "ANAPEC", "Dual training", "Work-linked placements", AXES, REGIONS,
                        GROUPS, spring, Money.of("40000", "EUR"), PARTNERS))
                .expectEvents(new ActivityProposed(ID, "ANAPEC", "Dual training", "Work-linked placements", AXES,
                        REGIONS, GROUPS, spring, Money.of("40000", "EUR"), List.of(year(2025, "40000.00")), PARTNERS));
    }

    @Test
    void cannotSplitIntoAYearOutsideThePlannedPeriod() {
        fixture.givenNoPriorActivity()
                .when(proposal(List.of(year(2023, "250000.00"), year(2024, "1000000.00"))))
                .expectNoEvents()
                .expectException(violationsOn("plannedBudgetByYear[0].year"));
    }

    @Test
    void cannotSplitIntoPartsThatDoNotAddUpToTheBudget() {
        fixture.givenNoPriorActivity()
                .when(proposal(List.of(year(2024, "1000000.00"), year(2025, "249999.99"))))
                .expectNoEvents()
                .expectException(violationsOn("plannedBudgetByYear"))
                .expectExceptionMessage(org.hamcrest.Matchers.containsString("adds up to 1249999.99"));
    }

    @Test
    void cannotSplitIntoANegativePart() {
        fixture.givenNoPriorActivity()
                .when(proposal(List.of(year(2024, "1300000.00"), year(2025, "-50000.00"))))
                .expectNoEvents()
                .expectException(violationsOn("plannedBudgetByYear[1].amount"));
    }

    @Test
    void cannotNameAYearTwiceNorGiveAnEmptySplit() {
        fixture.givenNoPriorActivity()
                .when(proposal(List.of(year(2024, "625000.00"), year(2024, "625000.00"))))
                .expectNoEvents()
                .expectException(violationsOn("plannedBudgetByYear[1].year"));
        fixture.givenNoPriorActivity()
                .when(proposal(List.of()))
                .expectNoEvents()
                .expectException(InvalidInput.class);
    }

    @Test
    void aRevisionThatKeepsPeriodAndBudgetKeepsTheSplitGiven() {
        fixture.given(proposed(GIVEN))
                .when(new ReviseActivity(ID, null, null, null, null, List.of("ORIENTAL"), null, null, null,
                        "Moved east"))
                .expectEvents(revised(List.of("ORIENTAL"), PLAN, BUDGET, GIVEN, "Moved east"));
    }

    @Test
    void aRevisedBudgetIsSplitProRataAgainUnlessASplitComesWithIt() {
        Money more = Money.of("1460000.00", "MAD");
        fixture.given(proposed(GIVEN))
                .when(new ReviseActivity(ID, null, null, null, null, null, null, null, more, "Second cohort"))
                .expectEvents(revised(REGIONS, PLAN, more,
                        List.of(year(2024, "1224000.00"), year(2025, "236000.00")), "Second cohort"));
        fixture.given(proposed(GIVEN))
                .when(new ReviseActivity(ID, null, null, null, null, null, null, null, more,
                        List.of(year(2024, "1000000.00"), year(2025, "460000.00")), "Second cohort"))
                .expectEvents(revised(REGIONS, PLAN, more,
                        List.of(year(2024, "1000000.00"), year(2025, "460000.00")), "Second cohort"));
    }

    @Test
    void aRevisionOfTheSplitAloneIsAChangeAndIsChecked() {
        fixture.given(proposed(PRO_RATA))
                .when(new ReviseActivity(ID, null, null, null, null, null, null, null, null, GIVEN, "Rephased"))
                .expectEvents(revised(REGIONS, PLAN, BUDGET, GIVEN, "Rephased"));
        fixture.given(proposed(PRO_RATA))
                .when(new ReviseActivity(ID, null, null, null, null, null, null,
                        new Period(LocalDate.of(2024, 3, 1), LocalDate.of(2024, 12, 31)), null, GIVEN, "Shorter"))
                .expectNoEvents()
                .expectException(violationsOn("plannedBudgetByYear[1].year"));
    }

    /**
     * An activity proposed before the split existed loads through the upcaster with the pro-rata split, and a revision
     * that leaves period and budget alone carries exactly that split on.
     */
    @Test
    void anActivityStoredInTheOldShapeIsRevisedWithItsUpcastSplit() throws Exception {
        ObjectMapper json = LedgerJson.newObjectMapper();
        var stored = (com.fasterxml.jackson.databind.node.ObjectNode) json.valueToTree(proposed(GIVEN));
        stored.remove("plannedBudgetByYear");
        ActivityProposed upcast = json.treeToValue(
                LedgerUpcaster.payload(ActivityProposed.class.getName(), stored), ActivityProposed.class);

        fixture.given(upcast)
                .when(new ReviseActivity(ID, null, null, null, null, List.of("ORIENTAL"), null, null, null,
                        "Moved east"))
                .expectEvents(revised(List.of("ORIENTAL"), PLAN, BUDGET, PRO_RATA, "Moved east"));
    }
}
