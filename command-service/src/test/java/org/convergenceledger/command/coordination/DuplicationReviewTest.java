package org.convergenceledger.command.coordination;

import static org.hamcrest.Matchers.containsString;

import java.util.Map;
import java.util.Set;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.convergenceledger.command.system.InvalidInput;
import org.convergenceledger.command.system.NotPermitted;
import org.convergenceledger.events.LedgerMetadata;
import org.convergenceledger.events.coordination.DecideDuplication;
import org.convergenceledger.events.coordination.DuplicationDecided;
import org.convergenceledger.events.coordination.DuplicationVerdict;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DuplicationReviewTest {

    private static final String ANAPEC = "ANAPEC:WLT-TTA-2024";
    private static final String OFPPT = "OFPPT:ALT-TTA-2024";
    private static final String PAIR = "pair:" + ANAPEC + "+" + OFPPT;
    private static final Map<String, Object> COORDINATOR = Map.of(LedgerMetadata.RECORDED_BY, "COORDINATOR");

    private FixtureConfiguration<DuplicationReview> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(DuplicationReview.class);
        Set<String> existing = Set.of(ANAPEC, OFPPT, "ANAPEC:OTHER-2024");
        fixture.registerInjectableResource((ActivityDirectory) existing::contains);
    }

    @Test
    void aCoordinatorDecidesADuplicateNamingTheActivityThatContinuesWhicheverOrderThePairIsNamedIn() {
        fixture.givenNoPriorActivity()
                .when(new DecideDuplication(OFPPT, ANAPEC, DuplicationVerdict.DUPLICATE, OFPPT, null), COORDINATOR)
                .expectEvents(new DuplicationDecided(PAIR, ANAPEC, OFPPT, DuplicationVerdict.DUPLICATE, OFPPT, null));
    }

    @Test
    void aLaterDecisionReplacesTheLastEvenTheSameOne() {
        DuplicationDecided underReview = new DuplicationDecided(PAIR, ANAPEC, OFPPT, DuplicationVerdict.UNDER_REVIEW,
                null, "asked both agencies for their beneficiary lists");
        fixture.given(underReview)
                .when(new DecideDuplication(ANAPEC, OFPPT, DuplicationVerdict.COMPLEMENTARY, null,
                        " Different employers and cohorts "), COORDINATOR)
                .expectEvents(new DuplicationDecided(PAIR, ANAPEC, OFPPT, DuplicationVerdict.COMPLEMENTARY, null,
                        "Different employers and cohorts"));
        fixture.given(underReview)
                .when(new DecideDuplication(ANAPEC, OFPPT, DuplicationVerdict.UNDER_REVIEW, null,
                        "asked both agencies for their beneficiary lists"), COORDINATOR)
                .expectEvents(underReview);
    }

    @Test
    void onlyACoordinatorDecides() {
        fixture.givenNoPriorActivity()
                .when(new DecideDuplication(ANAPEC, OFPPT, DuplicationVerdict.DUPLICATE, ANAPEC, null),
                        Map.of(LedgerMetadata.RECORDED_BY, "ANAPEC"))
                .expectNoEvents()
                .expectException(NotPermitted.class)
                .expectExceptionMessage(containsString("only a coordinator may"));
    }

    @Test
    void aComplementaryDecisionSaysWhy() {
        fixture.givenNoPriorActivity()
                .when(new DecideDuplication(ANAPEC, OFPPT, DuplicationVerdict.COMPLEMENTARY, null, " "), COORDINATOR)
                .expectNoEvents()
                .expectException(InvalidInput.class);
    }

    @Test
    void aDuplicateNamesOneOfTheTwoAsContinuingAndOnlyADuplicateDoes() {
        refused(new DecideDuplication(ANAPEC, OFPPT, DuplicationVerdict.DUPLICATE, null, null), "continuing");
        refused(new DecideDuplication(ANAPEC, OFPPT, DuplicationVerdict.DUPLICATE, "GIZ:X", null), "continuing");
        refused(new DecideDuplication(ANAPEC, OFPPT, DuplicationVerdict.UNDER_REVIEW, ANAPEC, null), "continuing");
    }

    @Test
    void thePairIsTwoExistingActivitiesOfDifferentAgencies() {
        refused(new DecideDuplication(ANAPEC, "ANAPEC:OTHER-2024", DuplicationVerdict.UNDER_REVIEW, null, null),
                "another agency");
        refused(new DecideDuplication(ANAPEC, "GIZ:NOWHERE", DuplicationVerdict.UNDER_REVIEW, null, null),
                "no activity GIZ:NOWHERE");
        refused(new DecideDuplication(ANAPEC, ANAPEC, DuplicationVerdict.UNDER_REVIEW, null, null),
                "another activity");
    }

    /** Each case on a fixture of its own: a fixture keeps the pair it was first given. */
    private void refused(DecideDuplication command, String saying) {
        setUp();
        fixture.givenNoPriorActivity()
                .when(command, COORDINATOR)
                .expectNoEvents()
                .expectException(InvalidInput.class)
                .expectException(new org.hamcrest.CustomTypeSafeMatcher<InvalidInput>("a violation saying " + saying) {
                    @Override
                    protected boolean matchesSafely(InvalidInput refusal) {
                        return refusal.violations().toString().contains(saying);
                    }
                });
    }
}
