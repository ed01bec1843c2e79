package org.convergenceledger.query.projection;

import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;

/** Where a read model's tables are built besides the live ones: a fresh schema, or session-private copies. */
public final class Schemas {

    /** The query service's migrations: a fresh schema gets exactly the live schema's tables. */
    public static final String MIGRATIONS = "classpath:db/query";
    /** Bookkeeping tables every built view needs beside its own: its position. */
    private static final List<String> POSITION_TABLES = List.of("projection_position", "projection_pending");

    private Schemas() {
    }

    /** Creates (or recreates, empty) a schema with every table of the query side, by running the migrations. */
    public static void fresh(DataSource dataSource, String schema) {
        new JdbcTemplate(dataSource).execute("DROP SCHEMA IF EXISTS " + quoted(schema) + " CASCADE");
        Flyway.configure().dataSource(dataSource).schemas(schema).createSchemas(true).locations(MIGRATIONS)
                .load().migrate();
    }

    /**
     * Session-private copies (dropped at commit) of the read model's tables and of the position tables, empty and
     * without indexes: unqualified names then resolve to them for the rest of the transaction.
     */
    public static void shadow(JdbcTemplate jdbc, List<String> tables) {
        String schema = jdbc.queryForObject("SELECT current_schema()", String.class);
        List<String> all = new ArrayList<>(tables);
        all.addAll(POSITION_TABLES);
        for (String table : all) {
            jdbc.execute("CREATE TEMP TABLE " + table + " (LIKE " + quoted(schema) + "." + table
                    + " INCLUDING DEFAULTS) ON COMMIT DROP");
        }
    }

    /** Fresh statistics for the planner: a table loaded at once has none, and scans rather than looking up. */
    public static void analyze(JdbcTemplate jdbc, List<String> tables) {
        for (String table : tables) {
            jdbc.execute("ANALYZE " + table);
        }
    }

    public static String quoted(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
