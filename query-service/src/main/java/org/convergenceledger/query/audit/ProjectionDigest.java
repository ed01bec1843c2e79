package org.convergenceledger.query.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.convergenceledger.query.system.Projections;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * A fingerprint of the convergence projection's state: SHA-256 over every row of its tables, each table in a fixed
 * order and its rows sorted by their text. Table names are unqualified, so inside an independent replay the same
 * code reads the replay's temporary tables, which shadow the live ones for that session.
 */
@Component
class ProjectionDigest {

    record Digest(String digest, Map<String, Long> rows) {
    }

    private final JdbcTemplate jdbc;

    ProjectionDigest(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Digest compute() {
        MessageDigest sha256 = sha256();
        Map<String, Long> rows = new LinkedHashMap<>();
        // The projection's tables; its position is bookkeeping and left out.
        for (String table : Projections.ACTIVITY_VIEW_TABLES) {
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
