package org.convergenceledger.command.system;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Group commit: the commands that arrive while a batch commits share the next transaction, so N concurrent senders
 * pay for one commit (one WAL flush) instead of N.
 *
 * <p>Commands go to one of a few lanes ({@code ledger.commands.group-commit.lanes}) by the activity (or other
 * aggregate) they address, so one activity's commands always run one after the other in the order they came, while
 * a command stuck in the database (a lock, a slow disk) holds up only its lane. In each lane one thread takes what
 * has queued (up to {@code ledger.commands.group-commit.max-batch}), opens one transaction
 * and runs each command in its order inside a savepoint of it: a command that fails its rules (or conflicts, as a
 * second proposal under one id does) is rolled back to its savepoint and fails alone, while the others go on. The
 * batch then commits once, and only then does each sender get its answer — an answer is never given for something
 * not yet durable. If the commit itself fails, every in-memory cache that may hold the batch's uncommitted state is
 * dropped ({@link Listener#batchRolledBack()}) and the batch's commands are run again, each alone in its own
 * transaction, so each sender gets the answer its own command deserves.
 *
 * <p>Why not Axon's DisruptorCommandBus: its EventPublisher attaches a transaction to every command's unit of work
 * (axon-disruptor 4.13, {@code EventPublisher.processPublication}), so it saves the locking and the aggregate loads
 * but not the commits (docs/write-side.md says where a command's time goes now).
 */
@Component
public class GroupCommit implements SmartLifecycle {

    /** Told when a batch's transaction did not commit after its commands ran: forget what they left in memory. */
    public interface Listener {
        void batchRolledBack();

        /** Told after every committed batch (e.g. to wake the readers of the event store). */
        default void batchCommitted() {
        }
    }

    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

    private record Pending<T>(Supplier<T> work, CompletableFuture<T> answer) {
    }

    private final List<BlockingQueue<Pending<?>>> lanes = new ArrayList<>();
    private final List<Thread> dispatchers = new ArrayList<>();
    private final TransactionTemplate batch;
    private final TransactionTemplate savepoint;
    private final ObjectProvider<Listener> listeners;
    private final int maxBatch;
    private final DistributionSummary batchSizes;
    private final Counter secondAttempts;
    private final JdbcTemplate jdbc;
    private final AggregateCache remembered;
    private final long statementTimeoutMs;
    private volatile boolean running;

    GroupCommit(PlatformTransactionManager transactions, ObjectProvider<Listener> listeners,
                ObjectProvider<MeterRegistry> meters, JdbcTemplate jdbc, AggregateCache remembered,
                @Value("${ledger.commands.group-commit.lanes:4}") int lanes,
                @Value("${ledger.commands.group-commit.max-batch:256}") int maxBatch,
                @Value("${ledger.commands.statement-timeout:10s}") java.time.Duration statementTimeout) {
        this.jdbc = jdbc;
        this.remembered = remembered;
        this.statementTimeoutMs = statementTimeout.toMillis();
        this.batch = new TransactionTemplate(transactions);
        this.savepoint = new TransactionTemplate(transactions);
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        this.listeners = listeners;
        this.maxBatch = maxBatch;
        for (int lane = 0; lane < Math.max(1, lanes); lane++) {
            this.lanes.add(new LinkedBlockingQueue<>());
        }
        MeterRegistry registry = meters.getIfAvailable();
        this.batchSizes = registry == null ? null : DistributionSummary.builder("ledger.commands.batch.size")
                .description("commands run together in one transaction (refused ones included)").register(registry);
        this.secondAttempts = registry == null ? null : Counter.builder("ledger.commands.second.attempts")
                .description("commands run once more after failing on an activity remembered in memory (another"
                        + " instance had changed it, or a refusal that the stored state confirms)").register(registry);
    }

    /** How many lanes commands are spread over. */
    public int lanes() {
        return lanes.size();
    }

    /** The lane of the commands addressed to this aggregate (an activity id, an agency's, a key's). */
    public int laneOf(String aggregateId) {
        return aggregateId == null ? 0 : Math.floorMod(aggregateId.hashCode(), lanes.size());
    }

    /**
     * Runs the work in the next batch and waits for its answer, given once the batch has committed. The work's own
     * exception (a rule refused, a conflict) is thrown here as it was thrown there.
     */
    public <T> T run(String aggregateId, Supplier<T> work) {
        try {
            return submit(aggregateId, work).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the command was committed", e);
        } catch (ExecutionException e) {
            throw unwrapped(e.getCause());
        }
    }

    /**
     * Queues the work for the next batch of the aggregate's lane; the future completes after that batch commits (or
     * the work fails).
     */
    public <T> CompletableFuture<T> submit(String aggregateId, Supplier<T> work) {
        return submitToLane(laneOf(aggregateId), work);
    }

    /** The same, on a lane named by its number. */
    public <T> CompletableFuture<T> submitToLane(int lane, Supplier<T> work) {
        if (!running) {
            throw new IllegalStateException("the command service is not running (starting or stopping)");
        }
        Pending<T> pending = new Pending<>(work, new CompletableFuture<>());
        lanes.get(lane).add(pending);
        return pending.answer();
    }

    private void dispatchUntilStopped(BlockingQueue<Pending<?>> queue) {
        List<Pending<?>> taken = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Pending<?> first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                taken.add(first);
                queue.drainTo(taken, maxBatch - 1);
                commit(taken);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error unexpected) {
                // Never leave a sender waiting, and never stop taking commands.
                log.error("Group commit failed outside any command", unexpected);
                taken.forEach(pending -> pending.answer().completeExceptionally(unexpected));
            } finally {
                taken.clear();
            }
        }
    }

    private void commit(List<Pending<?>> taken) {
        if (taken.size() == 1) {
            // Alone in its batch, a command needs no savepoint: its transaction is its own (two round trips fewer,
            // which is what a lone client waits for).
            runAlone(taken.get(0));
            return;
        }
        List<Runnable> answers = new ArrayList<>(taken.size());
        try {
            batch.executeWithoutResult(status -> {
                limitStatements();
                for (Pending<?> pending : taken) {
                    answers.add(runInSavepoint(pending));
                }
            });
        } catch (RuntimeException commitFailed) {
            listeners.orderedStream().forEach(Listener::batchRolledBack);
            log.warn("A batch of {} commands did not commit ({}); running each alone", taken.size(),
                    commitFailed.toString());
            for (Pending<?> pending : taken) {
                runAlone(pending);
            }
            return;
        }
        if (batchSizes != null) {
            batchSizes.record(taken.size());
        }
        listeners.orderedStream().forEach(Listener::batchCommitted);
        answers.forEach(Runnable::run);
    }

    /**
     * A statement of a lane's transaction that runs longer than the limit (a lock held elsewhere, a stuck disk) is
     * cancelled: its command fails alone and the batch commits, instead of the whole lane waiting — and, past 30 s,
     * the batch being refused at commit (migration V8) and run again behind the same stuck command.
     */
    private void limitStatements() {
        if (statementTimeoutMs > 0) {
            jdbc.execute("SET LOCAL statement_timeout = " + statementTimeoutMs);
        }
    }

    /** Runs one command in a savepoint; returns how to answer its sender once the batch has committed. */
    private <T> Runnable runInSavepoint(Pending<T> pending) {
        try {
            T result = savepoint.execute(status -> attempt(pending));
            return () -> pending.answer().complete(result);
        } catch (RuntimeException refused) {
            remembered.attemptRolledBack();
            if (!worthAnotherAttempt(refused)) {
                return () -> pending.answer().completeExceptionally(refused);
            }
            try {
                T result = savepoint.execute(status -> attempt(pending));
                return () -> pending.answer().complete(result);
            } catch (RuntimeException again) {
                remembered.attemptRolledBack();
                return () -> pending.answer().completeExceptionally(again);
            }
        }
    }

    private <T> T attempt(Pending<T> pending) {
        remembered.attemptStarts();
        return pending.work().get();
    }

    /**
     * A command that failed on an activity remembered in memory may have failed on state another instance has
     * changed since (OtherInstances): its append conflicted, or a rule refused what the stored state allows. Its
     * unit of work's rollback has removed the remembered activity, so a second attempt reads the store. Not for an
     * outage or a timeout: those would only fail again, later. A command chosen to break a deadlock is run again
     * too.
     */
    private boolean worthAnotherAttempt(RuntimeException failure) {
        boolean worth = deadlocked(failure) || remembered.servedThisAttempt()
                && !(failure instanceof DataAccessException || failure instanceof TransactionException);
        if (worth && secondAttempts != null) {
            secondAttempts.increment();
        }
        return worth;
    }

    /**
     * Two batches (two instances, or two lanes) that append to the same two activities in opposite orders wait for
     * each other; PostgreSQL breaks the cycle by failing one statement (SQLState 40P01). Run again, it goes through.
     */
    private static boolean deadlocked(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof java.sql.SQLException sql && "40P01".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private <T> void runAlone(Pending<T> pending) {
        try {
            T result;
            try {
                result = aloneInItsTransaction(pending);
            } catch (RuntimeException failed) {
                if (!worthAnotherAttempt(failed)) {
                    throw failed;
                }
                result = aloneInItsTransaction(pending);
            }
            pending.answer().complete(result);
        } catch (RuntimeException failed) {
            pending.answer().completeExceptionally(failed);
        } finally {
            if (batchSizes != null) {
                batchSizes.record(1);
            }
        }
    }

    private <T> T aloneInItsTransaction(Pending<T> pending) {
        boolean[] ran = {false};
        try {
            T result = batch.execute(status -> {
                limitStatements();
                T done = attempt(pending);
                ran[0] = true;
                return done;
            });
            listeners.orderedStream().forEach(Listener::batchCommitted);
            return result;
        } catch (RuntimeException failed) {
            // Refused while it ran: its unit of work undid what it had cached, as in a savepoint. It ran but did not
            // commit: what it left in memory must go.
            if (ran[0]) {
                listeners.orderedStream().forEach(Listener::batchRolledBack);
            }
            throw failed;
        }
    }

    private static RuntimeException unwrapped(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new IllegalStateException(cause);
    }

    @Override
    public void start() {
        running = true;
        for (int lane = 0; lane < lanes.size(); lane++) {
            BlockingQueue<Pending<?>> queue = lanes.get(lane);
            Thread dispatcher = new Thread(() -> dispatchUntilStopped(queue), "ledger-group-commit-" + lane);
            dispatcher.setDaemon(true);
            dispatcher.start();
            dispatchers.add(dispatcher);
        }
    }

    /** Takes no new command, commits what was queued, then stops. */
    @Override
    public void stop() {
        running = false;
        try {
            for (Thread dispatcher : dispatchers) {
                dispatcher.join(TimeUnit.SECONDS.toMillis(30));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        dispatchers.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    // Started before the command ingestion (which sends commands here) and stopped after it.
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 200;
    }
}
