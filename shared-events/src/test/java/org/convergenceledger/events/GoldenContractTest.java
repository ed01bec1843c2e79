package org.convergenceledger.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.convergenceledger.events.json.LedgerJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

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
