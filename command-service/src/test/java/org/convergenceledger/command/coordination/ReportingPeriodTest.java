package org.convergenceledger.command.coordination;

import static org.hamcrest.Matchers.containsString;

import java.time.LocalDate;
import java.util.Map;
import java.util.Set;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.convergenceledger.command.registry.Registry;
import org.convergenceledger.command.system.InvalidInput;
import org.convergenceledger.command.system.NotPermitted;
import org.convergenceledger.events.LedgerMetadata;
import org.convergenceledger.events.coordination.ClosePeriod;
import org.convergenceledger.events.coordination.PeriodClosed;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReportingPeriodTest {

    private static final Map<String, Object> COORDINATOR = Map.of(LedgerMetadata.RECORDED_BY, "COORDINATOR");
    private static final LocalDate JAN_1 = LocalDate.of(2024, 1, 1);
    private static final LocalDate DEC_31 = LocalDate.of(2024, 12, 31);

    private FixtureConfiguration<ReportingPeriod> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(ReportingPeriod.class);
        Set<String> agencies = Set.of("ANAPEC", "OFPPT");
        fixture.registerInjectableResource(new Registry() {
            @Override
            public boolean isRegisteredAgency(String agencyCode) {
                return agencies.contains(agencyCode);
            }

            @Override
            public boolean isDefinedAxis(String axisCode) {
                return false;
            }
        });
    }

    @Test
    void aCoordinatorClosesAPeriodForOneAgencyOrForAll() {
        fixture.givenNoPriorActivity()
                .when(new ClosePeriod("ANAPEC", JAN_1, DEC_31, " 2024 report adopted "), COORDINATOR)
                .expectEvents(new PeriodClosed("period:ANAPEC:2024-01-01..2024-12-31", "ANAPEC", JAN_1, DEC_31,
                        "2024 report adopted"));
        setUp();
        fixture.givenNoPriorActivity()
                .when(new ClosePeriod(null, JAN_1, DEC_31, null), COORDINATOR)
                .expectEvents(new PeriodClosed("period:ALL:2024-01-01..2024-12-31", null, JAN_1, DEC_31, null));
    }

    @Test
    void onlyACoordinatorClosesAPeriod() {
        fixture.givenNoPriorActivity()
                .when(new ClosePeriod("ANAPEC", JAN_1, DEC_31, null), Map.of(LedgerMetadata.RECORDED_BY, "ANAPEC"))
                .expectNoEvents()
                .expectException(NotPermitted.class)
                .expectExceptionMessage(containsString("only a coordinator may"));
    }

    @Test
    void aPeriodHasItsTwoDatesInOrderAndARegisteredAgency() {
        fixture.givenNoPriorActivity()
                .when(new ClosePeriod("ANAPEC", DEC_31, JAN_1, null), COORDINATOR)
                .expectNoEvents()
                .expectException(InvalidInput.class);
        setUp();
        fixture.givenNoPriorActivity()
                .when(new ClosePeriod("NOBODY", JAN_1, DEC_31, null), COORDINATOR)
                .expectNoEvents()
                .expectException(InvalidInput.class);
        setUp();
        fixture.givenNoPriorActivity()
                .when(new ClosePeriod("ANAPEC", null, DEC_31, null), COORDINATOR)
                .expectNoEvents()
                .expectException(InvalidInput.class);
    }
}
