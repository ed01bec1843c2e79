package org.convergenceledger.benchmark;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The raw limit: plain INSERT transactions (autocommit, one row each) into a scratch copy of Axon's
 * domainevententry — same columns, same constraints and index — with payload and metadata of the size of the
 * events the command path actually stored in this run.
 */
final class RawInsert {

    static final String TABLE = "bench_raw_insert";

    /** The shape of a stored event, measured in domainevententry. */
    record EventShape(long events, int payloadBytes, int metadataBytes, String type, String payloadType,
                      String payloadRevision, boolean wholeTable) {
    }

    /** {@code inserts}: rows; {@code latency}: of one transaction (one row, or one batch of rows). */
    record Result(int threads, double seconds, long inserts, Latencies.Summary latency, Errors errors) {
        double insertsPerSecond() {
            return seconds > 0 ? inserts / seconds : 0;
        }
    }

    private final String jdbcUrl;
    private final Properties credentials = new Properties();
    private final int timeoutSeconds;

    RawInsert(String jdbcUrl, String user, String password, int timeoutSeconds) {
        this.jdbcUrl = jdbcUrl;
        this.credentials.setProperty("user", user);
        this.credentials.setProperty("password", password);
        this.credentials.setProperty("connectTimeout", "5");
        this.credentials.setProperty("ApplicationName", "convergence-ledger-benchmark");
        this.timeoutSeconds = timeoutSeconds;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, credentials);
    }

    /** The average stored size of this run's events (aggregate ids starting with the prefix), else of all. */
    EventShape measure(String aggregatePrefix) throws SQLException {
        try (Connection c = connect()) {
            EventShape shape = measure(c, " WHERE aggregateidentifier LIKE ?", aggregatePrefix + "%", false);
            return shape != null ? shape : measure(c, "", null, true);
        }
    }

    private static EventShape measure(Connection c, String where, String parameter, boolean wholeTable)
            throws SQLException {
        long events;
        int payload;
        int metadata;
        try (PreparedStatement s = c.prepareStatement("SELECT count(*), avg(octet_length(payload)), "
                + "avg(octet_length(metadata)) FROM domainevententry" + where)) {
            if (parameter != null) {
                s.setString(1, parameter);
            }
            try (ResultSet r = s.executeQuery()) {
                r.next();
                events = r.getLong(1);
                if (events == 0) {
                    return null;
                }
                payload = (int) Math.round(r.getDouble(2));
                metadata = (int) Math.round(r.getDouble(3));
            }
        }
        try (PreparedStatement s = c.prepareStatement("SELECT type, payloadtype, payloadrevision FROM "
                + "domainevententry" + where + " ORDER BY globalindex DESC LIMIT 1")) {
            if (parameter != null) {
                s.setString(1, parameter);
            }
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return new EventShape(events, payload, metadata, r.getString(1), r.getString(2), r.getString(3),
                        wholeTable);
            }
        }
    }

    void createTable() throws SQLException {
        createTable(TABLE);
    }

    /** A scratch table shaped like domainevententry (columns, primary key, unique constraints, timestamp index). */
    void createTable(String table) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table);
            s.execute("CREATE TABLE " + table + " ("
                    + "globalindex BIGSERIAL NOT NULL, "
                    + "aggregateidentifier VARCHAR(255) NOT NULL, "
                    + "sequencenumber BIGINT NOT NULL, "
                    + "type VARCHAR(255), "
                    + "eventidentifier VARCHAR(255) NOT NULL, "
                    + "metadata BYTEA, "
                    + "payload BYTEA NOT NULL, "
                    + "payloadrevision VARCHAR(255), "
                    + "payloadtype VARCHAR(255) NOT NULL, "
                    + "timestamp VARCHAR(255) NOT NULL, "
                    + "PRIMARY KEY (globalindex), "
                    + "UNIQUE (aggregateidentifier, sequencenumber), "
                    + "UNIQUE (eventidentifier))");
            s.execute("CREATE INDEX " + table + "_timestamp ON " + table + " (timestamp)");
        }
    }

    /**
     * One event row: aggregateidentifier, sequencenumber, type, eventidentifier, metadata, payload, payloadrevision,
     * payloadtype, timestamp (parameters 1–9), as Axon's JPA/JDBC storage engine writes it.
     */
    static String insertSql(String table) {
        return "INSERT INTO " + table + " (aggregateidentifier, sequencenumber, type, eventidentifier, metadata, "
                + "payload, payloadrevision, payloadtype, timestamp) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    }

    /** The server version and the settings that decide what a commit costs. */
    String serverSettings() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT current_setting('server_version'), current_setting('fsync'), "
                     + "current_setting('synchronous_commit'), current_setting('max_connections')")) {
            r.next();
            return "PostgreSQL " + r.getString(1) + ", fsync=" + r.getString(2) + ", synchronous_commit="
                    + r.getString(3) + ", max_connections=" + r.getString(4);
        }
    }

    void dropTable() throws SQLException {
        dropTable(TABLE);
    }

    void dropTable(String table) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table);
        }
    }

    Result run(EventShape shape, String runTag, String label, int threads, long seconds, long inserts)
            throws Exception {
        return run(shape, runTag, label, threads, seconds, inserts, 1);
    }

    /**
     * @param batchRows rows per transaction: 1 is the single-row limit; more is the group-commit limit (one multi-row
     *                  INSERT, the driver rewriting the batch, and one commit for them all)
     */
    Result run(EventShape shape, String runTag, String label, int threads, long seconds, long inserts, int batchRows)
            throws Exception {
        // Each level starts from an empty table, as the event store is small in this benchmark: a table grown by
        // the previous levels' hundreds of thousands of rows (and their random-UUID index) would penalise the later
        // levels for something the command path does not face.
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE " + TABLE + " RESTART IDENTITY");
        }
        Errors errors = new Errors();
        List<Latencies> times = new ArrayList<>();
        long transactions = inserts > 0 ? Math.max(1, inserts / batchRows) : 0;
        Phase.Timing timing = Phase.run(threads, seconds, transactions, index -> {
            Latencies mine = new Latencies();
            synchronized (times) {
                times.add(mine);
            }
            return new InsertWorker(shape, runTag + "-" + label + "-" + index, mine, errors, batchRows);
        });
        Latencies all = Latencies.merge(times);
        return new Result(threads, timing.seconds(), (long) all.size() * batchRows, all.summary(), errors);
    }

    /**
     * One connection, one prepared INSERT. One row: autocommit, every execution one transaction. A batch: the rows
     * sent as one multi-row INSERT (reWriteBatchedInserts) and committed once.
     */
    private final class InsertWorker implements Phase.Worker {

        private final EventShape shape;
        private final String aggregatePrefix;
        private final Latencies times;
        private final Errors errors;
        private final byte[] payload;
        private final byte[] metadata;
        private final int batchRows;
        private Connection connection;
        private PreparedStatement insert;

        InsertWorker(EventShape shape, String aggregatePrefix, Latencies times, Errors errors, int batchRows) {
            this.batchRows = batchRows;
            this.shape = shape;
            this.aggregatePrefix = aggregatePrefix;
            this.times = times;
            this.errors = errors;
            this.payload = new byte[shape.payloadBytes()];
            this.metadata = new byte[shape.metadataBytes()];
        }

        @Override
        public void prepare() throws SQLException {
            if (batchRows > 1) {
                Properties batching = new Properties();
                batching.putAll(credentials);
                batching.setProperty("reWriteBatchedInserts", "true");
                connection = DriverManager.getConnection(jdbcUrl, batching);
                connection.setAutoCommit(false);
            } else {
                connection = connect();
                connection.setAutoCommit(true);
            }
            insert = connection.prepareStatement(insertSql(TABLE));
            insert.setQueryTimeout(timeoutSeconds);
        }

        @Override
        public void unit(long number) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            long start = System.nanoTime();
            try {
                for (int row = 0; row < batchRows; row++) {
                    // Like the command path, two events per aggregate: sequence numbers 0 and 1.
                    long rowNumber = number * batchRows + row;
                    random.nextBytes(payload); // fresh bytes every row: nothing for compression or caching to exploit
                    random.nextBytes(metadata);
                    insert.setString(1, aggregatePrefix + "-" + (rowNumber / 2));
                    insert.setLong(2, rowNumber % 2);
                    insert.setString(3, shape.type());
                    insert.setString(4, UUID.randomUUID().toString());
                    insert.setBytes(5, metadata);
                    insert.setBytes(6, payload);
                    insert.setString(7, shape.payloadRevision());
                    insert.setString(8, shape.payloadType());
                    insert.setString(9, Instant.now().toString());
                    if (batchRows == 1) {
                        insert.executeUpdate();
                    } else {
                        insert.addBatch();
                    }
                }
                if (batchRows > 1) {
                    insert.executeBatch();
                    connection.commit();
                }
                times.add(System.nanoTime() - start);
            } catch (SQLException e) {
                errors.record("insert SQLState " + e.getSQLState(), e.getMessage());
                if (batchRows > 1) {
                    try {
                        connection.rollback();
                    } catch (SQLException ignored) {
                        // the next batch will tell
                    }
                }
            }
        }

        @Override
        public void close() {
            try {
                if (connection != null) {
                    connection.close();
                }
            } catch (SQLException ignored) {
                // closing after the measurement; nothing to report
            }
        }
    }
}
