package org.convergenceledger.query.access;

import java.util.Optional;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.convergenceledger.events.access.AccessRole;
import org.convergenceledger.events.access.ApiKeyIssued;
import org.convergenceledger.events.access.ApiKeyRevoked;
import org.convergenceledger.query.system.LedgerEnvelope;
import org.convergenceledger.query.system.Projections;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The keys the ledger issued, learnt from its events like every other fact. Kept by the audit-history processor:
 * the key table is bookkeeping of who may read, not part of the convergence view an auditor fingerprints. A key
 * works here once its issuance has reached the query side (normally well under a second after it was issued).
 */
@Component
@ProcessingGroup(Projections.AUDIT_HISTORY)
class AccessKeys {

    record Key(String keyId, AccessRole role, String agencyCode, String credentialHash) {
    }

    private final JdbcTemplate jdbc;

    AccessKeys(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(ApiKeyIssued event, EventMessage<?> message) {
        jdbc.update("""
                INSERT INTO access_key (key_id, agency_code, role, credential_hash, global_sequence)
                VALUES (?, ?, ?, ?, ?) ON CONFLICT (key_id) DO NOTHING
                """, event.keyId(), event.agencyCode(), event.role().name(), event.credentialHash(),
                LedgerEnvelope.of(message).globalSequence());
    }

    @EventHandler
    void on(ApiKeyRevoked event) {
        jdbc.update("UPDATE access_key SET revoked = true WHERE key_id = ?", event.keyId());
    }

    Optional<Key> live(String keyId) {
        return jdbc.query("SELECT key_id, role, agency_code, credential_hash FROM access_key "
                        + "WHERE key_id = ? AND NOT revoked",
                (rs, row) -> new Key(rs.getString(1), AccessRole.valueOf(rs.getString(2)), rs.getString(3),
                        rs.getString(4)), keyId).stream().findFirst();
    }
}
