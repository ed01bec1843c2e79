package org.convergenceledger.query.projection;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Rows of a projection table as plain values, written either with a JDBC batch (the live projection, a batch at a
 * time) or with COPY (a rebuild, the whole ledger at once): the same text reaches PostgreSQL either way, so both build
 * the same rows. Values are String, Long, Integer, Boolean, BigDecimal, LocalDate, List of String (a text[]) or null;
 * timestamps travel as ISO-8601 text (or 'infinity'), which PostgreSQL reads into the column's type.
 */
public final class TableRows {

    /** A table and the columns its rows give values for, in order. */
    public record Table(String name, List<String> columns) {

        public Table(String name, String... columns) {
            this(name, List.of(columns));
        }

        public String insert() {
            return "INSERT INTO " + name + " (" + String.join(", ", columns) + ") VALUES ("
                    + String.join(", ", java.util.Collections.nCopies(columns.size(), "?")) + ")";
        }

        String copy() {
            return "COPY " + name + " (" + String.join(", ", columns) + ") FROM STDIN";
        }
    }

    private TableRows() {
    }

    /** INSERT the rows as one JDBC batch (multi-row statements with the pool's reWriteBatchedInserts); sql may add an ON CONFLICT clause. */
    public static void insert(JdbcTemplate jdbc, String sql, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        jdbc.batchUpdate(sql, rows, 1000, TableRows::bind);
    }

    /**
     * Streams the rows into the table with COPY, on the template's connection of the current transaction. Nothing
     * is sent for an empty collection: a live batch of a few events often has no rows for some tables, and each
     * empty COPY was a round trip (at one client, a quarter of the projection's statements).
     */
    public static long copy(JdbcTemplate jdbc, Table table, Iterable<Object[]> rows) {
        if (rows instanceof Collection<?> collection && collection.isEmpty()) {
            return 0;
        }
        Connection connection = DataSourceUtils.getConnection(jdbc.getDataSource());
        try {
            return copy(connection, table, rows);
        } catch (SQLException e) {
            throw new DataAccessResourceFailureException("COPY into " + table.name() + " failed: " + e.getMessage(),
                    e);
        } finally {
            DataSourceUtils.releaseConnection(connection, jdbc.getDataSource());
        }
    }

    /**
     * The rows through a session-private staging table, then into the table with one INSERT … SELECT and the given
     * ON CONFLICT clause: the set-based upsert of a whole batch. Returns the staging table's name, which holds the
     * batch's rows until the next upsert of the same table or the end of the transaction.
     */
    public static String upsert(JdbcTemplate jdbc, Table table, Collection<Object[]> rows, String onConflict) {
        String staged = "batch_" + table.name();
        if (rows.isEmpty()) {
            return staged;
        }
        stage(jdbc, table, staged);
        copy(jdbc, new Table(staged, table.columns()), rows);
        String columns = String.join(", ", table.columns());
        jdbc.update("INSERT INTO " + table.name() + " (" + columns + ") SELECT " + columns + " FROM " + staged + " "
                + onConflict);
        return staged;
    }

    /** Session-private staging tables each pooled connection has created: created once, not before every batch. */
    private static final Map<Object, java.util.Set<String>> CREATED =
            java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    /**
     * An empty staging table on this connection: created the first time, emptied by its commit (ON COMMIT DELETE
     * ROWS) and, when a transaction stages the same table twice (a rebuild's catch-up), by a TRUNCATE.
     */
    private static void stage(JdbcTemplate jdbc, Table table, String staged) {
        Connection connection = DataSourceUtils.getConnection(jdbc.getDataSource());
        try {
            Object session = connection.unwrap(PGConnection.class);
            java.util.Set<String> created = CREATED.computeIfAbsent(session, key -> ConcurrentHashMap.newKeySet());
            if (!created.contains(staged)) {
                jdbc.execute("CREATE TEMP TABLE IF NOT EXISTS " + staged + " (LIKE " + table.name()
                        + " INCLUDING DEFAULTS) ON COMMIT DELETE ROWS");
                // Known to exist once its transaction commits: a rollback takes the new table with it.
                if (TransactionSynchronizationManager.isSynchronizationActive()) {
                    TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                        @Override
                        public void afterCommit() {
                            created.add(staged);
                        }
                    });
                } else {
                    created.add(staged);
                }
            }
        } catch (SQLException e) {
            throw new DataAccessResourceFailureException("cannot stage " + table.name(), e);
        } finally {
            DataSourceUtils.releaseConnection(connection, jdbc.getDataSource());
        }
        @SuppressWarnings("unchecked")
        java.util.Set<String> used = TransactionSynchronizationManager.isSynchronizationActive()
                ? (java.util.Set<String>) bound(STAGED_KEY) : null;
        if (used == null || !used.add(staged)) {
            jdbc.execute("TRUNCATE " + staged);
        }
    }

    private static final String STAGED_KEY = TableRows.class.getName() + ".staged";

    /** The staging tables this transaction has filled, bound to it (and gone with it). */
    private static Object bound(String key) {
        Object set = TransactionSynchronizationManager.getResource(key);
        if (set == null) {
            set = ConcurrentHashMap.newKeySet();
            TransactionSynchronizationManager.bindResource(key, set);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(key);
                }
            });
        }
        return set;
    }

    /** A text[] of the given values, for one array parameter (unnest(?::text[]) and the like). */
    public static Object array(JdbcTemplate jdbc, Collection<?> values) {
        return new org.springframework.jdbc.core.support.AbstractSqlTypeValue() {
            @Override
            protected Object createTypeValue(Connection connection, int sqlType, String typeName)
                    throws SQLException {
                return connection.createArrayOf("text", values.stream().map(value -> value == null ? null
                        : value.toString()).toArray());
            }
        };
    }

    public static void bind(PreparedStatement statement, Object[] row) throws SQLException {
        for (int i = 0; i < row.length; i++) {
            Object value = row[i];
            int index = i + 1;
            if (value == null) {
                statement.setNull(index, Types.NULL);
            } else if (value instanceof String text) {
                // Unknown to the driver: PostgreSQL reads it as the column's type (text, varchar, timestamptz).
                statement.setObject(index, text, Types.OTHER);
            } else if (value instanceof List<?> list) {
                statement.setArray(index, statement.getConnection().createArrayOf("text", list.toArray()));
            } else if (value instanceof LocalDate date) {
                statement.setObject(index, date);
            } else {
                statement.setObject(index, value);
            }
        }
    }

    /** Streams the rows into the table with COPY, on the given connection (and its transaction). */
    public static long copy(Connection connection, Table table, Iterable<Object[]> rows) throws SQLException {
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(table.copy());
        long written = 0;
        try {
            StringBuilder buffer = new StringBuilder(1 << 16);
            for (Object[] row : rows) {
                line(buffer, row);
                written++;
                if (buffer.length() > 1 << 15) {
                    flush(copy, buffer);
                }
            }
            flush(copy, buffer);
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
        return written;
    }

    private static void flush(CopyIn copy, StringBuilder buffer) throws SQLException {
        if (buffer.length() > 0) {
            byte[] bytes = buffer.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            copy.writeToCopy(bytes, 0, bytes.length);
            buffer.setLength(0);
        }
    }

    /** One row in COPY's text format: tab-separated, \N for null, backslash escapes. */
    static void line(StringBuilder out, Object[] row) {
        for (int i = 0; i < row.length; i++) {
            if (i > 0) {
                out.append('\t');
            }
            Object value = row[i];
            if (value == null) {
                out.append("\\N");
            } else if (value instanceof List<?> list) {
                escape(out, arrayLiteral(list));
            } else if (value instanceof BigDecimal decimal) {
                out.append(decimal.toPlainString());
            } else if (value instanceof Boolean bool) {
                out.append(bool ? 't' : 'f');
            } else {
                escape(out, value.toString());
            }
        }
        out.append('\n');
    }

    /** A text[] literal with every element quoted: {"a","b \"c\""}. */
    static String arrayLiteral(List<?> values) {
        StringBuilder literal = new StringBuilder("{");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                literal.append(',');
            }
            literal.append('"');
            String element = String.valueOf(values.get(i));
            for (int c = 0; c < element.length(); c++) {
                char ch = element.charAt(c);
                if (ch == '"' || ch == '\\') {
                    literal.append('\\');
                }
                literal.append(ch);
            }
            literal.append('"');
        }
        return literal.append('}').toString();
    }

    private static void escape(StringBuilder out, String text) {
        int plain = 0;
        while (plain < text.length()) {
            char ch = text.charAt(plain);
            if (ch == '\\' || ch == '\t' || ch == '\n' || ch == '\r') {
                break;
            }
            plain++;
        }
        // Most text has nothing to escape: appended whole.
        out.append(text, 0, plain);
        for (int i = plain; i < text.length(); i++) {
            char ch = text.charAt(i);
            switch (ch) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(ch);
            }
        }
    }
}
