package org.convergenceledger.events.access;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record IssueApiKey(String keyId, String agencyCode, AccessRole role, String label, String credentialHash) {

    /** Keys share the event store with agencies, axes and activities: the prefix keeps their identifiers apart. */
    public static String aggregateIdOf(String keyId) {
        return "key:" + keyId;
    }

    @TargetAggregateIdentifier
    public String aggregateId() {
        return aggregateIdOf(keyId);
    }
}
