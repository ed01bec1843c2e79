package org.convergenceledger.command.access;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;
import org.convergenceledger.command.system.GroupCommit;
import org.convergenceledger.command.system.NowAndAfterTransaction;
import org.convergenceledger.command.system.OtherInstances;
import org.convergenceledger.events.access.AccessRole;
import org.convergenceledger.events.access.ApiKeyIssued;
import org.convergenceledger.events.access.ApiKeyRevoked;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The keys the ledger has issued, kept from their events in the transaction that stores them (a subscribing
 * processor): a key works from the moment its issuance commits and stops the moment its revocation does.
 *
 * <p>Every request presents a key, so the keys looked up are kept in memory. A revocation forgets them all when
 * its event is handled and again once its transaction has completed, and a lookup that overlapped a revocation is
 * not used again (what is read is tagged with a generation that every forgetting advances): a request after the
 * revocation's commit always reads the revoked row. A batch of commands that fails to commit forgets every key, and
 * so does a key issued or revoked through another instance of the service, once that is announced (milliseconds
 * after its commit: {@link OtherInstances}).
 */
@Component
@ProcessingGroup(ApiKeyStore.GROUP)
class ApiKeyStore implements GroupCommit.Listener, OtherInstances.Memory {

    static final String GROUP = "access";

    record StoredKey(String keyId, String agencyCode, AccessRole role, String label, String credentialHash,
                     Instant issuedAt, Instant revokedAt, String revokedReason) {

        boolean active() {
            return revokedAt == null;
        }
    }

    private final JdbcTemplate jdbc;
    /** A key as read when the generation was that number: not used once something was forgotten since. */
    private record Remembered(long generation, StoredKey key) {
    }

    private final Map<String, Remembered> known = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();

    ApiKeyStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void batchRolledBack() {
        forget();
    }

    @Override
    public void appendedElsewhere(String aggregateType, Set<String> aggregateIds) {
        if (ApiKey.class.getSimpleName().equals(aggregateType)) {
            forget();
        }
    }

    @Override
    public void forgetAll() {
        forget();
    }

    /**
     * Forgets every key: revocations are rare, and what was read before now, or while this happens, is stale anyway
     * (its generation is behind).
     */
    private void forget() {
        generation.incrementAndGet();
        known.clear();
    }

    @EventHandler
    void on(ApiKeyIssued event, @Timestamp Instant recordedAt) {
        jdbc.update("""
                INSERT INTO api_key (key_id, agency_code, role, label, credential_hash, issued_at)
                VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (key_id) DO NOTHING
                """, event.keyId(), event.agencyCode(), event.role().name(), event.label(), event.credentialHash(),
                recordedAt.atOffset(ZoneOffset.UTC));
    }

    @EventHandler
    void on(ApiKeyRevoked event, @Timestamp Instant recordedAt) {
        jdbc.update("UPDATE api_key SET revoked_at = ?, revoked_reason = ? WHERE key_id = ? AND revoked_at IS NULL",
                recordedAt.atOffset(ZoneOffset.UTC), event.reason(), event.keyId());
        NowAndAfterTransaction.run(this::forget);
    }

    Optional<StoredKey> find(String keyId) {
        Remembered cached = known.get(keyId);
        if (cached != null && cached.generation() == generation.get()) {
            return Optional.of(cached.key());
        }
        long before = generation.get();
        Optional<StoredKey> stored = jdbc.query("SELECT * FROM api_key WHERE key_id = ?", ApiKeyStore::row, keyId)
                .stream().findFirst();
        stored.ifPresent(key -> known.put(keyId, new Remembered(before, key)));
        return stored;
    }

    List<StoredKey> all() {
        return jdbc.query("SELECT * FROM api_key ORDER BY issued_at, key_id", ApiKeyStore::row);
    }

    boolean anyActive(AccessRole role) {
        Integer count = jdbc.queryForObject("SELECT count(*) FROM api_key WHERE role = ? AND revoked_at IS NULL",
                Integer.class, role.name());
        return count != null && count > 0;
    }

    private static StoredKey row(ResultSet rs, int row) throws SQLException {
        java.sql.Timestamp revoked = rs.getTimestamp("revoked_at");
        return new StoredKey(rs.getString("key_id"), rs.getString("agency_code"),
                AccessRole.valueOf(rs.getString("role")), rs.getString("label"), rs.getString("credential_hash"),
                rs.getTimestamp("issued_at").toInstant(), revoked == null ? null : revoked.toInstant(),
                rs.getString("revoked_reason"));
    }
}
