package org.convergenceledger.command.system;

/** The same Idempotency-Key came back with a different request. Answered with 422. */
class IdempotencyKeyReused extends RuntimeException {

    IdempotencyKeyReused(String key) {
        super("Idempotency-Key " + key + " was first used for a different request");
    }
}
