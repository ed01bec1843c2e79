package org.convergenceledger.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.convergenceledger.events.activity.ProposeActivity;
import org.convergenceledger.events.activity.ReviseActivity;
import org.convergenceledger.events.common.YearlyAmount;
import org.convergenceledger.events.json.LedgerJson;
import org.convergenceledger.events.upcasting.LedgerUpcaster;
import org.convergenceledger.events.upcasting.PlannedBudgetByYear;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The golden files are the published contract: an event whose encoding changes fails here, and the change must be
 * made on purpose (new golden file, and an upcaster for the stored old form).
 * Regenerate after a deliberate change with -Dgolden.write=src/test/resources/golden.
 */
class GoldenContractTest {

    private static final ObjectMapper JSON = LedgerJson.newObjectMapper();

    static Stream<Record> samples() {
        return ContractSamples.ALL.stream();
    }

    @Test
    void everyEventTypeOfTheContractHasASample() {
        assertThat(ContractSamples.ALL).extracting(Object::getClass)
                .containsExactlyInAnyOrderElementsOf(LedgerEvents.ALL);
    }

    @ParameterizedTest
    @MethodSource("samples")
    void encodingMatchesTheGoldenFile(Record sample) throws IOException {
        String name = sample.getClass().getSimpleName() + ".json";
        String target = System.getProperty("golden.write");
        if (target != null) {
            Files.writeString(Path.of(target, name),
                    JSON.writerWithDefaultPrettyPrinter().writeValueAsString(sample) + "\n");
        }
        JsonNode golden = golden(name);

        assertThat(JSON.writeValueAsString(sample)).isEqualTo(JSON.writeValueAsString(golden));
        assertThat(JSON.treeToValue(golden, sample.getClass())).isEqualTo(sample);
    }

    /**
     * The files under golden/v1 are events as stored before revision 2 (no split by year): the upcaster turns each
     * into the current golden file, byte for byte as the current code writes it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"ActivityProposed", "ActivityRevised"})
    void anEventStoredInTheOldShapeUpcastsToTheCurrentGoldenFile(String type) throws IOException {
        JsonNode stored = golden("v1/" + type + ".json");
        assertThat(stored.has(PlannedBudgetByYear.FIELD)).isFalse();

        JsonNode upcast = LedgerUpcaster.payload("org.convergenceledger.events.activity." + type, stored);

        assertThat(JSON.writeValueAsString(upcast)).isEqualTo(JSON.writeValueAsString(golden(type + ".json")));
    }

    /** Commands have a second constructor without the split: JSON still reads through the canonical one. */
    @Test
    void aProposalReadsWithOrWithoutItsSplitByYear() throws IOException {
        String without = "{\"activityId\":\"ANAPEC:X\",\"plannedBudget\":{\"amount\":10,\"currency\":\"MAD\"}}";
        String with = without.replace("}}", "},\"plannedBudgetByYear\":[{\"year\":2025,\"amount\":10}]}");

        assertThat(JSON.readValue(without, ProposeActivity.class).plannedBudgetByYear()).isNull();
        assertThat(JSON.readValue(with, ProposeActivity.class).plannedBudgetByYear())
                .containsExactly(new YearlyAmount(2025, new java.math.BigDecimal("10")));
        assertThat(JSON.readValue(with.replace("ANAPEC:X\"", "ANAPEC:X\",\"reason\":\"r\""), ReviseActivity.class)
                .plannedBudgetByYear()).hasSize(1);
    }

    @Test
    void moneyKeepsItsScaleAndNeverBecomesAFloat() throws IOException {
        String json = JSON.writeValueAsString(ContractSamples.ALL.get(5));

        assertThat(json).contains("\"amount\":1187450.50").contains("\"completedOn\":\"2025-02-27\"");
    }

    private static JsonNode golden(String name) throws IOException {
        try (InputStream in = GoldenContractTest.class.getResourceAsStream("/golden/" + name)) {
            assertThat(in).as("golden file %s", name).isNotNull();
            return JSON.readTree(in);
        }
    }
}
