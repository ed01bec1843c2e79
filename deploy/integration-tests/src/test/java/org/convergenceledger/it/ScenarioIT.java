package org.convergenceledger.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.convergenceledger.command.scenario.Scenario;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The DESIGN.md scenario, loaded by the command service at start, as the query service shows it. */
class ScenarioIT {

    private static LedgerSystem system;

    @BeforeAll
    static void startTheLedger() {
        system = LedgerSystem.get();
    }

    @Test
    void everyScenarioActivityReachesTheQueryServiceInItsFinalState() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode iom = Http.get(system.queryUrl() + "/api/activities?agency=IOM&size=50").json();
            assertThat(iom.path("total").asLong()).isEqualTo(3);
            assertThat(state("CNSS:GEN-CAS-2024")).isEqualTo("SUSPENDED");
            assertThat(state("OFPPT:INDH-CAS-2024")).isEqualTo("CANCELLED");
            assertThat(state("ILO:SKL-RSK-2024")).isEqualTo("COMPLETED");
            assertThat(state(Scenario.DUPLICATE_A)).isEqualTo("STARTED");
            assertThat(state(Scenario.DUPLICATE_B)).isEqualTo("COMMITTED");
        });
        JsonNode revised = Http.get(system.queryUrl() + "/api/activities/ANAPEC:WLT-CAS-2025").json();
        assertThat(revised.path("plannedBudget").path("amount").decimalValue()).isEqualByComparingTo("1150000.00");
        JsonNode joined = Http.get(system.queryUrl() + "/api/activities/ANAPEC:INDH-GON-2025").json();
        assertThat(joined.path("partners").toString()).contains("EUD", "FUNDING");
    }

    @Test
    void theChildLabourAxisAddsBudgetsPerCurrencyWithoutMixingThem() {
        JsonNode childLabour = await().atMost(Duration.ofSeconds(60)).until(() -> axis("CHILD_LABOUR"),
                axis -> axis != null && axis.path("activitiesByState").path("PROPOSED").asLong() == 1);

        assertThat(childLabour.path("activitiesByState").path("STARTED").asLong()).isEqualTo(1);
        assertThat(childLabour.path("activitiesByState").path("COMMITTED").asLong()).isEqualTo(1);
        assertThat(childLabour.path("plannedBudget").path("USD").decimalValue()).isEqualByComparingTo("2000000");
        assertThat(childLabour.path("plannedBudget").path("MAD").decimalValue()).isEqualByComparingTo("1500000");
        assertThat(childLabour.path("committedBudget").path("USD").decimalValue()).isEqualByComparingTo("1920000");
        assertThat(childLabour.path("committedBudget").path("MAD").decimalValue()).isEqualByComparingTo("960000");
    }

    private static String state(String id) {
        return Http.get(system.queryUrl() + "/api/activities/" + id).json().path("state").asText();
    }

    private static JsonNode axis(String code) {
        for (JsonNode axis : Http.get(system.queryUrl() + "/api/convergence/axes").json().path("axes")) {
            if (axis.path("code").asText().equals(code)) {
                return axis;
            }
        }
        return null;
    }
}
