package org.convergenceledger.events.access;

/** A credential stops working from this event on; the ledger keeps what was done with it before. */
public record ApiKeyRevoked(String keyId, String reason) {
}
