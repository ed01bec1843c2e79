package org.convergenceledger.benchmark;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.SplittableRandom;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The read side's raw limits: rows of the size of a stored event (payload + metadata) written into a scratch table
 * of the query database, as fast as PostgreSQL takes them — one COPY of them all in one transaction (what a rebuild
 * does at best), and multi-row INSERTs of 1,000 rows, one transaction each (what a batch apply does at best). The
 * table has a primary key on the sequence and an activity id column, as the projections' tables do.
 */
final class RawLoad {

    static final String TABLE = "bench_read_side_raw";
    static final int BATCH = 1_000;
    private static final int COPY_CHUNK = 1_000;
    private static final int DISTINCT_ROWS = 256;

    record Result(String how, long rows, int rowBytes, double seconds) {
        double rowsPerSecond() {
            return seconds > 0 ? rows / seconds : Double.NaN;
        }
    }

    private final RawInsert database;
    private final String runTag;
    private final int rowBytes;
    /** Row contents made before the clock starts: random letters and digits, the size of an event's data. */
    private final String[] data = new String[DISTINCT_ROWS];

    RawLoad(RawInsert database, String runTag, int rowBytes) {
        this.database = database;
        this.runTag = runTag;
        this.rowBytes = rowBytes;
        SplittableRandom random = new SplittableRandom(rowBytes);
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        for (int i = 0; i < DISTINCT_ROWS; i++) {
            StringBuilder row = new StringBuilder(rowBytes);
            for (int k = 0; k < rowBytes; k++) {
                row.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            data[i] = row.toString();
        }
    }

    void createTable() throws SQLException {
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + TABLE);
            s.execute("CREATE TABLE " + TABLE + " (global_sequence BIGINT PRIMARY KEY, "
                    + "activity_id VARCHAR(255) NOT NULL, data TEXT NOT NULL)");
        }
    }

    void dropTable() throws SQLException {
        database.dropTable(TABLE);
    }

    private void truncate(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("TRUNCATE " + TABLE);
        }
    }

    private String activityId(long row) {
        return "BENCHA:" + runTag + "-" + row / 2;
    }

    /** One COPY … FROM STDIN of {@code rows} rows, streamed in chunks, committed once. */
    Result copy(long rows) throws SQLException {
        try (Connection c = database.connect()) {
            truncate(c);
            c.setAutoCommit(false);
            long start = System.nanoTime();
            CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY " + TABLE + " (global_sequence, activity_id, data) FROM STDIN");
            try {
                StringBuilder chunk = new StringBuilder(COPY_CHUNK * (rowBytes + 60));
                for (long row = 0; row < rows; row++) {
                    chunk.append(row).append('\t').append(activityId(row)).append('\t')
                            .append(data[(int) (row % DISTINCT_ROWS)]).append('\n');
                    if ((row + 1) % COPY_CHUNK == 0 || row + 1 == rows) {
                        byte[] bytes = chunk.toString().getBytes(StandardCharsets.UTF_8);
                        copy.writeToCopy(bytes, 0, bytes.length);
                        chunk.setLength(0);
                    }
                }
                copy.endCopy();
            } finally {
                if (copy.isActive()) {
                    copy.cancelCopy();
                }
            }
            c.commit();
            return new Result("copy", rows, rowBytes, (System.nanoTime() - start) / 1e9);
        }
    }

    /** INSERT … VALUES of {@link #BATCH} rows at a time, each statement its own transaction. */
    Result multiRowInsert(long rows) throws SQLException {
        try (Connection c = database.connect()) {
            truncate(c);
            c.setAutoCommit(true);
            long start = System.nanoTime();
            try (PreparedStatement full = c.prepareStatement(insertSql(BATCH))) {
                long row = 0;
                while (row < rows) {
                    int size = (int) Math.min(BATCH, rows - row);
                    if (size == BATCH) {
                        insert(full, row, size);
                    } else {
                        try (PreparedStatement last = c.prepareStatement(insertSql(size))) {
                            insert(last, row, size);
                        }
                    }
                    row += size;
                }
            }
            return new Result("multi-row-insert", rows, rowBytes, (System.nanoTime() - start) / 1e9);
        }
    }

    private void insert(PreparedStatement insert, long first, int size) throws SQLException {
        int p = 1;
        for (long row = first; row < first + size; row++) {
            insert.setLong(p++, row);
            insert.setString(p++, activityId(row));
            insert.setString(p++, data[(int) (row % DISTINCT_ROWS)]);
        }
        insert.executeUpdate();
    }

    private static String insertSql(int rows) {
        StringBuilder sql = new StringBuilder("INSERT INTO " + TABLE + " (global_sequence, activity_id, data) VALUES ");
        for (int i = 0; i < rows; i++) {
            sql.append(i == 0 ? "(?, ?, ?)" : ", (?, ?, ?)");
        }
        return sql.toString();
    }
}
