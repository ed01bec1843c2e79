package org.convergenceledger.web;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * What the other instances of a service wrote to the database they share, as PostgreSQL tells it: LISTEN on a
 * connection of its own, and each NOTIFY handed to the receiver. A notification is sent at the commit of the
 * transaction that made it, so the receiver hears of a change only once it can read it.
 *
 * <p>Notifications are not stored: those sent while the connection was down are gone. After it is made again (and
 * LISTEN runs again, so nothing more is missed) the receiver is told that it may have missed some, and forgets what
 * they would have changed.
 */
public final class DatabaseNotifications implements SmartLifecycle {

    /** Opens the listening connection: a connection of its own, never one of a pool (LISTEN would stay on it). */
    @FunctionalInterface
    public interface Opener {
        Connection open() throws SQLException;
    }

    /** What the service does with what it hears. */
    public interface Receiver {

        void notified(String channel, String payload);

        /** The connection was lost and made again: anything may have changed meanwhile. */
        void mayHaveMissed();
    }

    private static final Logger log = LoggerFactory.getLogger(DatabaseNotifications.class);
    private static final Duration RETRY = Duration.ofSeconds(1);
    /** A silently dropped connection does not fail a wait for notifications; a query every so often finds it. */
    private static final Duration PROBE = Duration.ofSeconds(5);

    private final String name;
    private final Opener database;
    private final List<String> channels;
    private final Receiver receiver;
    private volatile boolean running;
    private volatile boolean listening;
    private volatile boolean listened;
    private Thread thread;

    /**
     * @param database opens the listening connection, held for as long as the service runs
     * @param channels the channels to listen on (plain identifiers)
     */
    public DatabaseNotifications(String name, Opener database, List<String> channels, Receiver receiver) {
        for (String channel : channels) {
            if (!channel.matches("[a-z_][a-z0-9_]*")) {
                throw new IllegalArgumentException("not a plain channel name: " + channel);
            }
        }
        this.name = name;
        this.database = database;
        this.channels = List.copyOf(channels);
        this.receiver = receiver;
    }

    /** Whether LISTEN is in place now. */
    public boolean listening() {
        return listening;
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::listenUntilStopped, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() {
        // The thread sees it within a wait (half a second) and closes its connection.
        running = false;
        if (thread != null) {
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void listenUntilStopped() {
        while (running) {
            try (Connection connection = database.open()) {
                connection.setAutoCommit(true);
                // A connection gone half-open (the database's machine vanished) would hold the probe below for the
                // kernel's TCP retries, a quarter of an hour, while this instance believes it hears the others.
                connection.setNetworkTimeout(Runnable::run, (int) PROBE.toMillis());
                try (Statement statement = connection.createStatement()) {
                    for (String channel : channels) {
                        statement.execute("LISTEN " + channel);
                    }
                }
                PGConnection notifications = connection.unwrap(PGConnection.class);
                listening = true;
                if (listened) {
                    log.info("{}: listening again on {}; what was changed meanwhile is forgotten", name, channels);
                }
                listened = true;
                // Also at the first start: whatever was remembered before LISTEN was in place may be stale.
                receiver.mayHaveMissed();
                long probed = System.nanoTime();
                while (running) {
                    PGNotification[] received = notifications.getNotifications(500);
                    for (PGNotification notification : received == null ? new PGNotification[0] : received) {
                        deliver(notification);
                    }
                    if (System.nanoTime() - probed > PROBE.toNanos()) {
                        try (Statement alive = connection.createStatement()) {
                            alive.execute("SELECT 1");
                        }
                        probed = System.nanoTime();
                    }
                }
            } catch (SQLException | RuntimeException lost) {
                if (running) {
                    log.warn("{}: not listening ({}); trying again in {}", name, lost.toString(), RETRY);
                    sleep();
                }
            } finally {
                listening = false;
            }
        }
    }

    private void deliver(PGNotification notification) {
        try {
            receiver.notified(notification.getName(), notification.getParameter());
        } catch (RuntimeException failed) {
            // What it would have told is unknown now: treated as missed, the listening goes on.
            log.error("{}: a notification on {} could not be handled", name, notification.getName(), failed);
            receiver.mayHaveMissed();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(RETRY.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
