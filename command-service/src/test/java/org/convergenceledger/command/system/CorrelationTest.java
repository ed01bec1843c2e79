package org.convergenceledger.command.system;

import org.convergenceledger.web.Correlation;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class CorrelationTest {

    private static final String UUID_V4 = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";

    @Test
    void aPlainTokenFromTheSenderIsKept() {
        assertThat(Correlation.accepted("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
                .isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        assertThat(Correlation.accepted(" ticket:4711 ")).isEqualTo("ticket:4711");
    }

    @Test
    void anIdThatWouldBreakALogLineIsReplacedByANewOne() {
        assertThat(Correlation.accepted("two words")).matches(UUID_V4);
        assertThat(Correlation.accepted("line\nbreak")).matches(UUID_V4);
        assertThat(Correlation.accepted("x".repeat(101))).matches(UUID_V4);
        assertThat(Correlation.accepted(null)).matches(UUID_V4).isNotEqualTo(Correlation.accepted(null));
    }

    @Test
    void aScopePutsBackWhatTheMdcHeldBefore() {
        MDC.remove(Correlation.MDC_KEY);
        try (Correlation.Scope outer = Correlation.open("outer")) {
            try (Correlation.Scope inner = Correlation.open("inner")) {
                assertThat(Correlation.currentOrNew()).isEqualTo("inner");
            }
            assertThat(MDC.get(Correlation.MDC_KEY)).isEqualTo("outer");
        }
        assertThat(MDC.get(Correlation.MDC_KEY)).isNull();
        assertThat(Correlation.currentOrNew()).matches(UUID_V4);
    }

    @Test
    void theWebEdgeNamesTheIdAsTheContractDoes() {
        // shared-web does not depend on the contract: its names are pinned here.
        assertThat(Correlation.MDC_KEY).isEqualTo(org.convergenceledger.events.LedgerMetadata.CORRELATION_ID);
        assertThat(Correlation.KAFKA_HEADER)
                .isEqualTo(org.convergenceledger.events.LedgerMetadata.HEADER_CORRELATION_ID);
    }
}
