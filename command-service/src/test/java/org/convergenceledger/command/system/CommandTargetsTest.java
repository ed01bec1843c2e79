package org.convergenceledger.command.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.modelling.command.AnnotationCommandTargetResolver;
import org.axonframework.modelling.command.VersionedAggregateIdentifier;
import org.convergenceledger.events.access.RevokeApiKey;
import org.convergenceledger.events.activity.CommitActivity;
import org.convergenceledger.events.activity.ProposeActivity;
import org.convergenceledger.events.activity.StartActivity;
import org.convergenceledger.events.common.Money;
import org.junit.jupiter.api.Test;

/** CommandTargets finds what Axon's own AnnotationCommandTargetResolver finds, from records and from methods. */
class CommandTargetsTest {

    private final CommandTargets targets = new CommandTargets();
    private final AnnotationCommandTargetResolver axon = AnnotationCommandTargetResolver.builder().build();

    @Test
    void findsTheSameIdentifierAndVersionAsAxon() {
        List<Object> commands = List.of(
                new CommitActivity("ANAPEC:1", 3L, new Money(new BigDecimal("10"), "MAD"), LocalDate.of(2026, 1, 1)),
                new CommitActivity("ANAPEC:2", null, new Money(new BigDecimal("10"), "MAD"), null),
                new StartActivity("OFPPT:7", 0L, LocalDate.of(2026, 2, 1)),
                new ProposeActivity("GIZ:9", "GIZ", "t", null, List.of(), List.of(), List.of(), null, null, List.of()),
                new RevokeApiKey("0123456789ab", "lost"));
        for (Object command : commands) {
            VersionedAggregateIdentifier ours = targets.resolveTarget(GenericCommandMessage.asCommandMessage(command));
            VersionedAggregateIdentifier theirs = axon.resolveTarget(GenericCommandMessage.asCommandMessage(command));
            assertThat(ours.getIdentifier()).as(command.toString()).isEqualTo(theirs.getIdentifier());
            assertThat(ours.getVersion()).as(command.toString()).isEqualTo(theirs.getVersion());
            assertThat(targets.identifierOf(command)).isEqualTo(theirs.getIdentifier());
        }
        assertThat(targets.resolveTarget(GenericCommandMessage.asCommandMessage(commands.get(0))).getVersion())
                .isEqualTo(3L);
        assertThat(targets.identifierOf(commands.get(4))).isNotEqualTo("0123456789ab").endsWith("0123456789ab");
    }

    @Test
    void aCommandWithoutItsTargetIsRefusedAsAxonRefusesIt() {
        record Unaddressed(String activityId) {
        }
        var command = GenericCommandMessage.asCommandMessage(new Unaddressed("x"));
        assertThatThrownBy(() -> targets.resolveTarget(command)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> axon.resolveTarget(command)).isInstanceOf(IllegalArgumentException.class);
        assertThat(targets.identifierOf(new Unaddressed("x"))).isNull();
        var nullTarget = GenericCommandMessage.asCommandMessage(
                new CommitActivity(null, null, new Money(BigDecimal.ONE, "MAD"), null));
        assertThatThrownBy(() -> targets.resolveTarget(nullTarget)).isInstanceOf(IllegalArgumentException.class);
    }
}
