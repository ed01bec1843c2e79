package org.convergenceledger.command.system;

import com.zaxxer.hikari.HikariDataSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Tells the other instances of the service which activities this one has just appended to, on the channel migration
 * V10 announces keys and closed periods on, in the same form ({@link OtherInstances}). Not from the transaction that
 * appended them: a transaction that NOTIFYs holds a database-wide lock across its commit's WAL flush, and the group
 * commit's lanes would then commit one after the other. So each committed batch's activities are queued here and
 * sent by a thread of its own, together with whatever other lanes committed meanwhile, without waiting for the
 * announcement's own commit to be flushed. An announcement lost to a crash in between costs another instance one
 * more attempt at a command on that activity (GroupCommit), never a wrong answer.
 *
 * <p>Alone, an instance tells no one: every couple of seconds it looks whether another instance of the service is
 * connected to the database (by the application name, "command-service &lt;instance&gt;"). For those seconds after
 * another instance starts, what this one appends is not announced: a command that instance runs on what it read
 * before then runs a second time if it fails on it (GroupCommit), as after a lost announcement.
 */
@Component
public class AppendAnnouncer implements SmartLifecycle {

    /** Below PostgreSQL's 8,000-byte limit of a notification's payload. */
    private static final int MAX_PAYLOAD = 7000;
    private static final long OTHERS_EVERY_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final Logger log = LoggerFactory.getLogger(AppendAnnouncer.class);

    private final BlockingQueue<String> appended = new LinkedBlockingQueue<>();
    private final JdbcTemplate jdbc;
    private final String writer;
    private volatile boolean running;
    private volatile boolean othersConnected;
    private long othersLookedAt = System.nanoTime() - OTHERS_EVERY_NANOS;
    private Thread thread;

    AppendAnnouncer(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.writer = OtherInstances.name((HikariDataSource) dataSource);
    }

    /** Activities whose events a batch has just committed (copied: the caller reuses its set). */
    void committed(Set<String> activityIds) {
        if (othersConnected) {
            appended.addAll(activityIds);
        }
    }

    private void announceUntilStopped() {
        while (running || !appended.isEmpty()) {
            try {
                lookForOthers();
                String first = appended.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                Set<String> ids = new LinkedHashSet<>();
                ids.add(first);
                appended.drainTo(ids);
                announce(ids);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException unavailable) {
                // Lost: the others find out by a second attempt at a command, or when they hear again.
                log.warn("Could not announce appended activities to the other instances: {}", unavailable.toString());
            }
        }
    }

    private void lookForOthers() {
        if (System.nanoTime() - othersLookedAt < OTHERS_EVERY_NANOS) {
            return;
        }
        othersLookedAt = System.nanoTime();
        Integer others = jdbc.queryForObject("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND application_name LIKE split_part(?, ' ', 1) || ' %' AND application_name <> ?", Integer.class,
                writer, writer);
        othersConnected = others != null && others > 0;
    }

    private void announce(Set<String> ids) {
        List<String> chunks = new ArrayList<>();
        StringBuilder chunk = new StringBuilder(writer).append('\n');
        for (String id : ids) {
            String line = "Activity " + id + "\n";
            if (chunk.length() + line.length() > MAX_PAYLOAD) {
                chunks.add(chunk.toString());
                chunk = new StringBuilder(writer).append('\n');
            }
            chunk.append(line);
        }
        chunks.add(chunk.toString());
        for (String payload : chunks) {
            // One statement, its own transaction, whose commit need not wait for the disk: it stores nothing.
            jdbc.queryForList("SELECT set_config('synchronous_commit', 'off', true), pg_notify(?, ?)",
                    OtherInstances.CHANNEL, payload);
        }
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::announceUntilStopped, "ledger-append-announcer");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    // Stopped after the group commit (which hands it the batches) has committed its last one.
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 300;
    }
}
