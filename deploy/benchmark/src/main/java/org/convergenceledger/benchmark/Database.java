package org.convergenceledger.benchmark;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/** JDBC to the system's PostgreSQL; the password from LEDGER_DB_PASSWORD: a command line is visible to all users. */
final class Database {

    /** The stored events (this run's, else all of them): how many, their average payload and metadata sizes. */
    record EventShape(long events, int payloadBytes, int metadataBytes, boolean wholeTable) {
    }

    final String url;
    final int timeoutSeconds;
    final String password;
    private final Properties properties = new Properties();

    Database(Options options, String urlOption) {
        this.url = options.url(urlOption);
        this.timeoutSeconds = options.positive("request-timeout-seconds");
        String given = System.getenv("LEDGER_DB_PASSWORD");
        this.password = given == null || given.isEmpty() ? "postgres" : given;
        properties.setProperty("user", options.text("db-user"));
        properties.setProperty("password", password);
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("ApplicationName", "convergence-ledger-benchmark");
    }

    /** @param batching send a batch of INSERTs as one multi-row INSERT */
    Connection connect(boolean batching) throws SQLException {
        Properties connection = new Properties();
        connection.putAll(properties);
        connection.setProperty("reWriteBatchedInserts", String.valueOf(batching));
        return DriverManager.getConnection(url, connection);
    }

    void execute(String... statements) throws SQLException {
        try (Connection c = connect(false); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    /** The server's version and the settings that decide what a commit costs; or why they cannot be read. */
    String settings() {
        try (Connection c = connect(false); ResultSet r = c.createStatement().executeQuery("SELECT current_setting("
                + "'server_version'), current_setting('fsync'), current_setting('synchronous_commit')")) {
            r.next();
            return "PostgreSQL " + r.getString(1) + ", fsync=" + r.getString(2) + ", synchronous_commit="
                    + r.getString(3);
        } catch (SQLException e) {
            return "(" + url + " not readable: " + e.getMessage() + ")";
        }
    }

    /** The stored events of aggregates whose id starts with the prefix, or all events when there are none. */
    EventShape eventShape(String aggregatePrefix) throws SQLException {
        String sql = "SELECT count(*), avg(octet_length(payload)), avg(octet_length(metadata)) FROM domainevententry";
        try (Connection c = connect(false); PreparedStatement s = c.prepareStatement(sql + " WHERE "
                + "aggregateidentifier LIKE ?")) {
            s.setString(1, aggregatePrefix + "%");
            ResultSet r = s.executeQuery();
            boolean wholeTable = r.next() && r.getLong(1) == 0;
            if (wholeTable) {
                r = c.createStatement().executeQuery(sql);
                r.next();
            }
            return new EventShape(r.getLong(1), (int) Math.round(r.getDouble(2)), (int) Math.round(r.getDouble(3)),
                    wholeTable);
        }
    }
}
