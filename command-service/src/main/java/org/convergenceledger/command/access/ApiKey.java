package org.convergenceledger.command.access;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;
import org.convergenceledger.command.registry.Registry;
import org.convergenceledger.command.system.TransitionRefused;
import org.convergenceledger.command.system.Violations;
import org.convergenceledger.events.access.AccessRole;
import org.convergenceledger.events.access.ApiKeyIssued;
import org.convergenceledger.events.access.ApiKeyRevoked;
import org.convergenceledger.events.access.Credentials;
import org.convergenceledger.events.access.IssueApiKey;
import org.convergenceledger.events.access.RevokeApiKey;

/** A credential: issued for one role (and, for an agency key, one registered agency), revoked once for good. */
@Aggregate
class ApiKey {

    @AggregateIdentifier
    private String aggregateId;
    private boolean revoked;

    ApiKey() {
    }

    @CommandHandler
    ApiKey(IssueApiKey command, Registry registry) {
        boolean agencyKey = command.role() == AccessRole.AGENCY;
        new Violations()
                .require(command.keyId() != null && command.keyId().matches("[0-9a-f]{12}"), "keyId",
                        "must be 12 lower-case hex digits")
                .require(command.role() != null, "role", "must be one of " + java.util.List.of(AccessRole.values()))
                .require(!agencyKey || command.agencyCode() != null && registry.isRegisteredAgency(
                        command.agencyCode()), "agencyCode", "an agency key needs a registered agency")
                .require(agencyKey || command.role() == null || command.agencyCode() == null, "agencyCode",
                        "only an agency key acts for an agency")
                .require(command.label() == null || command.label().length() <= 200, "label",
                        "at most 200 characters")
                .require(Credentials.isCredentialHash(command.credentialHash()), "credentialHash",
                        "must be a salted SHA-256 as Credentials makes it")
                .throwIfAny();
        apply(new ApiKeyIssued(command.keyId(), command.agencyCode(), command.role(),
                command.label() == null ? null : command.label().strip(), command.credentialHash()));
    }

    @CommandHandler
    void handle(RevokeApiKey command) {
        new Violations()
                .require(command.reason() != null && !command.reason().isBlank() && command.reason().length() <= 500,
                        "reason", "must say why, at most 500 characters")
                .throwIfAny();
        if (revoked) {
            throw new TransitionRefused("already-revoked", "REVOKED", "Key " + command.keyId() + " is already revoked");
        }
        apply(new ApiKeyRevoked(command.keyId(), command.reason().strip()));
    }

    @EventSourcingHandler
    void on(ApiKeyIssued event) {
        aggregateId = IssueApiKey.aggregateIdOf(event.keyId());
    }

    @EventSourcingHandler
    void on(ApiKeyRevoked event) {
        revoked = true;
    }
}
