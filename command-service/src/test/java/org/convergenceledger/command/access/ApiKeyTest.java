package org.convergenceledger.command.access;

import java.util.Set;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.convergenceledger.command.registry.Registry;
import org.convergenceledger.command.system.InvalidInput;
import org.convergenceledger.command.system.TransitionRefused;
import org.convergenceledger.events.access.AccessRole;
import org.convergenceledger.events.access.ApiKeyIssued;
import org.convergenceledger.events.access.ApiKeyRevoked;
import org.convergenceledger.events.access.Credentials;
import org.convergenceledger.events.access.IssueApiKey;
import org.convergenceledger.events.access.RevokeApiKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ApiKeyTest {

    private static final String HASH = Credentials.issue().credentialHash();
    private static final ApiKeyIssued ISSUED = new ApiKeyIssued("0123456789ab", "ANAPEC", AccessRole.AGENCY,
            "ERP connector", HASH);

    private FixtureConfiguration<ApiKey> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(ApiKey.class);
        fixture.registerInjectableResource(new Registry() {
            @Override
            public boolean isRegisteredAgency(String agencyCode) {
                return Set.of("ANAPEC", "OFPPT").contains(agencyCode);
            }

            @Override
            public boolean isDefinedAxis(String axisCode) {
                return false;
            }
        });
    }

    @Test
    void anAgencyKeyIsIssuedForARegisteredAgency() {
        fixture.givenNoPriorActivity()
                .when(new IssueApiKey("0123456789ab", "ANAPEC", AccessRole.AGENCY, " ERP connector ", HASH))
                .expectEvents(ISSUED);
    }

    @Test
    void anAgencyKeyNeedsARegisteredAgencyAndOnlyAgencyKeysNameOne() {
        fixture.givenNoPriorActivity()
                .when(new IssueApiKey("0123456789ab", "NOBODY", AccessRole.AGENCY, null, HASH))
                .expectNoEvents()
                .expectException(InvalidInput.class);
        fixture.givenNoPriorActivity()
                .when(new IssueApiKey("0123456789ab", "ANAPEC", AccessRole.AUDITOR, null, HASH))
                .expectNoEvents()
                .expectException(InvalidInput.class);
    }

    @Test
    void theSecretItselfIsNeverAcceptedAsTheRecordedHash() {
        fixture.givenNoPriorActivity()
                .when(new IssueApiKey("0123456789ab", null, AccessRole.ADMIN, null, Credentials.issue().apiKey()))
                .expectNoEvents()
                .expectException(InvalidInput.class);
    }

    @Test
    void aKeyIsRevokedOnceWithAReason() {
        fixture.given(ISSUED)
                .when(new RevokeApiKey("0123456789ab", "laptop stolen"))
                .expectEvents(new ApiKeyRevoked("0123456789ab", "laptop stolen"));
        fixture.given(ISSUED, new ApiKeyRevoked("0123456789ab", "laptop stolen"))
                .when(new RevokeApiKey("0123456789ab", "again"))
                .expectNoEvents()
                .expectException(TransitionRefused.class);
        fixture.given(ISSUED)
                .when(new RevokeApiKey("0123456789ab", " "))
                .expectNoEvents()
                .expectException(InvalidInput.class);
    }
}
