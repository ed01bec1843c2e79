package org.convergenceledger.command.registry;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;
import org.convergenceledger.command.system.Violations;
import org.convergenceledger.events.agency.AgencyRegistered;
import org.convergenceledger.events.agency.RegisterAgency;

/** An agency taking part in the ledger. Registering the same code twice is refused by the event store itself. */
@Aggregate
class Agency {

    static final String CODE_PATTERN = "[A-Z][A-Z0-9_]{1,31}";
    /** What the ledger records as the author of a role's acts: an agency named so would pass for that role. */
    static final java.util.Set<String> ROLE_NAMES = java.util.Set.of("ADMIN", "AUDITOR", "SYSTEM", "AGENCY",
            "COORDINATOR");

    @AggregateIdentifier
    private String aggregateId;

    Agency() {
    }

    @CommandHandler
    Agency(RegisterAgency command) {
        new Violations()
                .require(command.agencyCode() != null && command.agencyCode().matches(CODE_PATTERN), "agencyCode",
                        "must be 2 to 32 capitals, digits or _, starting with a letter")
                .require(command.agencyCode() == null || !ROLE_NAMES.contains(command.agencyCode()), "agencyCode",
                        "ADMIN, AUDITOR, SYSTEM, AGENCY and COORDINATOR name roles, not agencies: an agency so named would be"
                                + " recorded as that role")
                .require(command.name() != null && !command.name().isBlank() && command.name().length() <= 300,
                        "name", "must be given, at most 300 characters")
                .require(command.kind() != null, "kind", "must be given")
                .throwIfAny();
        apply(new AgencyRegistered(command.agencyCode(), command.name().strip(), command.kind()));
    }

    @EventSourcingHandler
    void on(AgencyRegistered event) {
        this.aggregateId = RegisterAgency.aggregateIdOf(event.agencyCode());
    }
}
