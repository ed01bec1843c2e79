package org.convergenceledger.query.projection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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

    /** Work that loads tables through a JDBC connection. */
    public interface Load<T> {
        T run() throws SQLException;
    }

    /**
     * Runs a bulk load with the tables' secondary indexes dropped, then builds them again: one sort per index after
     * the load instead of an index entry per row during it. Unique indexes (keys) stay and check the load.
     */
    public static <T> T withoutSecondaryIndexes(Connection connection, List<String> tables, Load<T> load)
            throws SQLException {
        List<String> indexes = dropSecondaryIndexes(connection, tables);
        T result = load.run();
        try (Statement statement = connection.createStatement()) {
            for (String index : indexes) {
                statement.execute(index);
            }
        }
        return result;
    }

    /** Drops the tables' secondary indexes and returns the statements that build them again. */
    static List<String> dropSecondaryIndexes(Connection connection, List<String> tables) throws SQLException {
        List<String[]> indexes = new ArrayList<>();
        try (PreparedStatement find = connection.prepareStatement("""
                SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
                WHERE i.indrelid = to_regclass(?) AND NOT i.indisunique AND NOT i.indisprimary
                """)) {
            for (String table : tables) {
                find.setString(1, table);
                try (ResultSet rs = find.executeQuery()) {
                    while (rs.next()) {
                        // A partitioned table's index reads "ON ONLY": built again on the parent it covers the
                        // partitions too.
                        indexes.add(new String[] {rs.getString(1), rs.getString(2).replace(" ON ONLY ", " ON ")});
                    }
                }
            }
        }
        List<String> definitions = new ArrayList<>();
        try (Statement statement = connection.createStatement()) {
            for (String[] index : indexes) {
                statement.execute("DROP INDEX " + index[0]);
                definitions.add(index[1]);
            }
        }
        return definitions;
    }

    public static String quoted(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
