package org.convergenceledger.query.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A fingerprint of a read model's state: SHA-256 over every row of its tables, each table in a fixed order and its
 * rows sorted by their text (in UTC, whatever the session's time zone). Table names are unqualified, so the same
 * code reads the live tables, a fresh schema's, or a replay's session-private copies.
 */
final class ProjectionDigest {

    record Digest(String digest, Map<String, Long> rows) {
    }

    private ProjectionDigest() {
    }

    /** Must run inside a transaction: the time zone is set for it alone. */
    static Digest compute(JdbcTemplate jdbc, List<String> tables) {
        jdbc.queryForObject("SELECT set_config('TimeZone', 'UTC', true)", String.class);
        MessageDigest sha256 = sha256();
        Map<String, Long> rows = new LinkedHashMap<>();
        for (String table : tables) {
            sha256.update((table + "\n").getBytes(StandardCharsets.UTF_8));
            long[] count = {0};
            jdbc.query("SELECT t::text AS row FROM " + table + " t ORDER BY 1", row -> {
                sha256.update(row.getString(1).getBytes(StandardCharsets.UTF_8));
                sha256.update((byte) '\n');
                count[0]++;
            });
            rows.put(table, count[0]);
        }
        return new Digest(HexFormat.of().formatHex(sha256.digest()), rows);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
