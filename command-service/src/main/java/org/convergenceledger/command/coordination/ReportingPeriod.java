package org.convergenceledger.command.coordination;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;
import org.convergenceledger.command.registry.Registry;
import org.convergenceledger.command.system.NotPermitted;
import org.convergenceledger.command.system.Violations;
import org.convergenceledger.events.LedgerMetadata;
import org.convergenceledger.events.access.AccessRole;
import org.convergenceledger.events.coordination.ClosePeriod;
import org.convergenceledger.events.coordination.PeriodClosed;

/**
 * A reporting period the steering committee closed, for one agency or for all. Only a coordinator closes one; the
 * same period is closed once (the event store refuses a second stream of the same id). Closing is for good: a fact
 * of the period changes afterwards only as a correction, which the activity rulebook asks for and the read side
 * lists.
 */
@Aggregate
class ReportingPeriod {

    @AggregateIdentifier
    private String periodId;

    ReportingPeriod() {
    }

    @CommandHandler
    ReportingPeriod(ClosePeriod command, Registry registry, @MetaDataValue(LedgerMetadata.RECORDED_BY) String actor) {
        if (!AccessRole.COORDINATOR.name().equals(actor)) {
            throw new NotPermitted(actor + " may not close a reporting period: only a coordinator may");
        }
        Violations violations = new Violations()
                .require(command.agency() == null || registry.isRegisteredAgency(command.agency()), "agency",
                        "must be a registered agency, or left out to close the period for all")
                .require(command.from() != null, "from", "must be given")
                .require(command.to() != null, "to", "must be given")
                .require(command.reason() == null || command.reason().length() <= 2000, "reason",
                        "must be at most 2000 characters");
        if (command.from() != null && command.to() != null) {
            violations.require(!command.to().isBefore(command.from()), "to", "must not be before from");
        }
        violations.throwIfAny();
        apply(new PeriodClosed(command.periodId(), command.agency(), command.from(), command.to(),
                command.reason() == null || command.reason().isBlank() ? null : command.reason().strip()));
    }

    @EventSourcingHandler
    void on(PeriodClosed event) {
        periodId = event.periodId();
    }
}
