package org.convergenceledger.events.access;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record RevokeApiKey(String keyId, String reason) {

    @TargetAggregateIdentifier
    public String aggregateId() {
        return IssueApiKey.aggregateIdOf(keyId);
    }
}
