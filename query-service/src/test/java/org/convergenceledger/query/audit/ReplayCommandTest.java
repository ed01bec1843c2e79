package org.convergenceledger.query.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplayCommandTest {

    @Test
    void optionsAreReadAsNameAndValue() {
        Map<String, String> options = ReplayCommand.options(new String[] {
                "--event-store=jdbc:postgresql://auditor:5432/copy?ssl=true", "--schema=replay_q1", "--keep"});

        assertThat(options).containsEntry("event-store", "jdbc:postgresql://auditor:5432/copy?ssl=true")
                .containsEntry("schema", "replay_q1").containsEntry("keep", "true");
    }

    @Test
    void anUnknownOptionIsNamed() {
        assertThatThrownBy(() -> ReplayCommand.options(new String[] {"--upto=5"}))
                .hasMessage("unknown option: --upto");
    }

    @Test
    void aSecretOnTheCommandLineIsRefusedNamingTheVariableToUse() {
        assertThatThrownBy(() -> ReplayCommand.options(new String[] {"--event-store-password=hunter2"}))
                .hasMessageContaining("set LEDGER_EVENT_STORE_PASSWORD instead").hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> ReplayCommand.options(new String[] {"--key=cl_x"}))
                .hasMessageContaining("set LEDGER_AUDITOR_KEY instead");
    }

    @Test
    void anOptionWithoutItsValueIsRefused() {
        assertThatThrownBy(() -> ReplayCommand.options(new String[] {"--into"}))
                .hasMessageContaining("--into needs a value");
    }

    @Test
    void aSchemaNameThatIsNotAPlainIdentifierIsRefused() {
        // The name is spliced into DDL: nothing but a plain identifier gets through.
        assertThatThrownBy(() -> ReplayCommand.options(new String[] {"--schema=x; DROP SCHEMA public"}))
                .hasMessageContaining("plain lower-case identifier");
    }

    @Test
    void aComparisonTakesTheLivePositionSoAnExplicitOneIsRefused() {
        assertThatThrownBy(() -> ReplayCommand.options(new String[] {"--compare-with=http://q:8082",
                "--up-to-sequence=10"})).hasMessageContaining("leave out --up-to-sequence");
    }
}
