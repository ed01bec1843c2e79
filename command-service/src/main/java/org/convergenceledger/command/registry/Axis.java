package org.convergenceledger.command.registry;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;
import org.convergenceledger.command.system.Violations;
import org.convergenceledger.events.axis.AxisDefined;
import org.convergenceledger.events.axis.DefineAxis;

/** A convergence axis the steering committee tracks. */
@Aggregate
class Axis {

    static final String CODE_PATTERN = "[A-Z][A-Z0-9_]{1,63}";

    @AggregateIdentifier
    private String aggregateId;

    Axis() {
    }

    @CommandHandler
    Axis(DefineAxis command) {
        new Violations()
                .require(command.axisCode() != null && command.axisCode().matches(CODE_PATTERN), "axisCode",
                        "must be 2 to 64 capitals, digits or _, starting with a letter")
                .require(command.title() != null && !command.title().isBlank() && command.title().length() <= 300,
                        "title", "must be given, at most 300 characters")
                .require(command.description() == null || command.description().length() <= 4000, "description",
                        "must be at most 4000 characters")
                .throwIfAny();
        apply(new AxisDefined(command.axisCode(), command.title().strip(), command.description()));
    }

    @EventSourcingHandler
    void on(AxisDefined event) {
        this.aggregateId = DefineAxis.aggregateIdOf(event.axisCode());
    }
}
