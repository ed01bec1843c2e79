package org.convergenceledger.events.access;

/**
 * A credential was issued. The secret itself is never recorded: credentialHash is "sha256:" + salt + ":" + the
 * SHA-256 of salt and secret (hex), so both services can check a presented key against the ledger's own facts.
 *
 * @param agencyCode the agency an AGENCY key acts for; null for the other roles
 * @param label      what the holder called it ("ERP connector", "rotation 2025-03"), for lists and audits
 */
public record ApiKeyIssued(String keyId, String agencyCode, AccessRole role, String label, String credentialHash) {
}
