package org.convergenceledger.query.projection;

/** One event as a projection receives it: its envelope and its payload, each read once. */
public record Recorded(LedgerEnvelope envelope, Object payload) {
}
