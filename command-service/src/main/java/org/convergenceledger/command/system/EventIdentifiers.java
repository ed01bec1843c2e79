package org.convergenceledger.command.system;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.axonframework.common.IdentifierFactory;

/**
 * Identifiers for messages and events: random (version 4) UUIDs drawn from each thread's own generator. Axon's
 * default draws them from one SecureRandom behind a lock, which the profile of 32 concurrent commands showed as the
 * most contended monitor of the request threads. An event id must be unique, not secret (every reader of the
 * ledger sees it); 122 random bits per id keep collisions out of reach, and the store's unique constraint would
 * refuse one anyway. Found by Axon through java.util.ServiceLoader (META-INF/services).
 */
public class EventIdentifiers extends IdentifierFactory {

    @Override
    public String generateIdentifier() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L; // version 4
        long low = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;  // IETF variant
        return new UUID(high, low).toString();
    }
}
