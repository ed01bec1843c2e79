package org.convergenceledger.query.projection;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;

/**
 * Where a bulk build writes its tables. Session-private copies live on one connection: every load runs there, in
 * order, in the caller's transaction. A schema of its own (a rebuild's staging schema, the replay command's fresh
 * one) is nobody's view until it is swapped in or examined: its tables are loaded side by side, each on a connection
 * and in a transaction of its own, and their indexes built the same way.
 */
public interface BulkTarget {

    /** One table's (or a few tables') worth of loading, on the connection it is given. */
    interface Load {
        void run(Connection connection) throws SQLException;
    }

    /** Runs the loads, then builds the tables' secondary indexes (dropped before, when the target has them). */
    void load(List<String> tables, List<Load> loads) throws SQLException;

    /** Everything on the caller's connection, in its transaction. */
    static BulkTarget on(Connection connection) {
        return (tables, loads) -> Schemas.withoutSecondaryIndexes(connection, tables, () -> {
            for (Load load : loads) {
                load.run(connection);
            }
            return null;
        });
    }

    /** Side by side on the data source's connections, in the given schema, committed as each load finishes. */
    static BulkTarget inSchema(DataSource dataSource, String schema, int parallelism) {
        return (tables, loads) -> {
            List<String> indexes = work(dataSource, schema, connection ->
                    Schemas.dropSecondaryIndexes(connection, tables));
            ExecutorService workers = Executors.newFixedThreadPool(parallelism, runnable -> {
                Thread thread = new Thread(runnable, "bulk-load-" + schema);
                thread.setDaemon(true);
                return thread;
            });
            try {
                runAll(workers, loads.stream().map(load -> (java.util.concurrent.Callable<Void>) () -> {
                    work(dataSource, schema, connection -> {
                        load.run(connection);
                        return null;
                    });
                    return null;
                }).toList());
                runAll(workers, indexes.stream().map(definition -> (java.util.concurrent.Callable<Void>) () -> {
                    work(dataSource, schema, connection -> {
                        try (Statement statement = connection.createStatement()) {
                            statement.execute(definition);
                        }
                        return null;
                    });
                    return null;
                }).toList());
            } finally {
                workers.shutdownNow();
            }
        };
    }

    private static void runAll(ExecutorService workers, List<java.util.concurrent.Callable<Void>> tasks)
            throws SQLException {
        List<Future<Void>> running = new ArrayList<>();
        tasks.forEach(task -> running.add(workers.submit(task)));
        try {
            for (Future<Void> task : running) {
                task.get();
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while loading", interrupted);
        } catch (ExecutionException failed) {
            running.forEach(task -> task.cancel(true));
            throw failed.getCause() instanceof SQLException sql ? sql
                    : new SQLException("a load failed: " + failed.getCause(), failed.getCause());
        }
    }

    /** Work on one connection of a schema's own. */
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private static <T> T work(DataSource dataSource, String schema, Work<T> work) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SELECT set_config('search_path', '" + Schemas.quoted(schema)
                            .replace("'", "''") + "', true)");
                }
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException failure) {
                connection.rollback();
                throw failure;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        }
    }
}
