package org.convergenceledger.command.registry;

import org.axonframework.test.aggregate.AggregateTestFixture;
import org.convergenceledger.command.system.InvalidInput;
import org.convergenceledger.events.agency.AgencyKind;
import org.convergenceledger.events.agency.AgencyRegistered;
import org.convergenceledger.events.agency.RegisterAgency;
import org.convergenceledger.events.axis.AxisDefined;
import org.convergenceledger.events.axis.DefineAxis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RegistryAggregatesTest {

    private final AggregateTestFixture<Agency> agencies = new AggregateTestFixture<>(Agency.class);
    private final AggregateTestFixture<Axis> axes = new AggregateTestFixture<>(Axis.class);

    @Test
    void anAgencyIsRegisteredWithItsCodeNameAndKind() {
        agencies.givenNoPriorActivity()
                .when(new RegisterAgency("CNSS", "National Social Security Fund", AgencyKind.SOCIAL_FUND))
                .expectEvents(new AgencyRegistered("CNSS", "National Social Security Fund", AgencyKind.SOCIAL_FUND));
    }

    @Test
    void anAgencyCodeIsCapitalsOnly() {
        agencies.givenNoPriorActivity()
                .when(new RegisterAgency("cnss/../x", "Fund", AgencyKind.SOCIAL_FUND))
                .expectNoEvents()
                .expectException(InvalidInput.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ADMIN", "AUDITOR", "SYSTEM", "AGENCY"})
    void anAgencyCannotBeNamedAfterARole(String role) {
        agencies.givenNoPriorActivity()
                .when(new RegisterAgency(role, "Pretender", AgencyKind.MINISTRY))
                .expectNoEvents()
                .expectExceptionMessage(org.hamcrest.Matchers.containsString("name roles, not agencies"));
    }

    @Test
    void anAgencyNeedsACode() {
        agencies.givenNoPriorActivity()
                .when(new RegisterAgency(null, "Nameless", AgencyKind.MINISTRY))
                .expectNoEvents()
                .expectException(InvalidInput.class);
    }

    @Test
    void anAgencyNeedsAKind() {
        agencies.givenNoPriorActivity()
                .when(new RegisterAgency("CNSS", "Fund", null))
                .expectNoEvents()
                .expectException(InvalidInput.class);
    }

    @Test
    void anAxisIsDefinedWithATitle() {
        axes.givenNoPriorActivity()
                .when(new DefineAxis("GENDER", "Gender equality", "Equal access to jobs and training"))
                .expectEvents(new AxisDefined("GENDER", "Gender equality", "Equal access to jobs and training"));
    }

    @Test
    void anAxisWithoutTitleIsRefused() {
        axes.givenNoPriorActivity()
                .when(new DefineAxis("GENDER", " ", null))
                .expectNoEvents()
                .expectException(InvalidInput.class);
    }

    @Test
    void agencyAndAxisIdentifiersCannotCollideInTheSharedStore() {
        org.assertj.core.api.Assertions.assertThat(RegisterAgency.aggregateIdOf("INDH"))
                .isNotEqualTo(DefineAxis.aggregateIdOf("INDH"));
    }
}
