package org.convergenceledger.command.access;

import org.convergenceledger.command.system.Caller;
import java.util.Optional;
import org.convergenceledger.events.access.Credentials;
import org.springframework.stereotype.Component;

/** Who holds a presented API key: the same check for an HTTP request and for a Kafka message. */
@Component
public class Callers {

    private final ApiKeyStore keys;

    Callers(ApiKeyStore keys) {
        this.keys = keys;
    }

    /** The caller behind a key the ledger issued and has not revoked; empty for anything else. */
    public Optional<Caller> byApiKey(String presented) {
        return Credentials.keyIdOf(presented)
                .flatMap(keys::find)
                .filter(ApiKeyStore.StoredKey::active)
                .filter(stored -> Credentials.matches(presented, stored.credentialHash()))
                .map(stored -> new Caller(stored.keyId(), stored.role(), stored.agencyCode()));
    }
}
