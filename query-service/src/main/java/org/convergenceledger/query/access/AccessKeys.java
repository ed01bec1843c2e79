package org.convergenceledger.query.access;

import java.util.Optional;
import org.convergenceledger.events.access.AccessRole;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The keys the ledger issued, as the audit-history projection learnt them from the ledger's events. A key works here
 * once its issuance has reached the query side (normally well under a second after it was issued).
 */
@Component
class AccessKeys {

    record Key(String keyId, AccessRole role, String agencyCode, String credentialHash) {
    }

    private final JdbcTemplate jdbc;

    AccessKeys(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Key> live(String keyId) {
        return jdbc.query("SELECT key_id, role, agency_code, credential_hash FROM access_key "
                        + "WHERE key_id = ? AND NOT revoked",
                (rs, row) -> new Key(rs.getString(1), AccessRole.valueOf(rs.getString(2)), rs.getString(3),
                        rs.getString(4)), keyId).stream().findFirst();
    }
}
