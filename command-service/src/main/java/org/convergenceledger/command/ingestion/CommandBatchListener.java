package org.convergenceledger.command.ingestion;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.convergenceledger.command.system.Problems;
import org.convergenceledger.web.Correlation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.ProblemDetail;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.BatchMessageListener;
import org.springframework.transaction.TransactionException;

/**
 * Handles the messages of one poll. All of them are submitted at once, so that they share the group commit's batches
 * (this is what gives the ingestion its throughput); those of one partition in their order, so one activity's
 * commands, which share a partition, apply one after the other. Then their outcomes are taken in order and
 * published ({@link OutcomePublisher}); the listener returns, and the container commits the offsets, only once
 * the results and dead-letter topics acknowledged them. A message refused by the ledger is an outcome like any
 * other. Whatever else went wrong is thrown for {@link IngestionErrorHandler}:
 * <ul>
 * <li>the database or the broker unreachable: an {@link Outage}, nothing of the batch is committed, the whole of
 * it comes again after the back-off, for as long as the outage lasts; never dead-lettered;</li>
 * <li>a message that failed for no reason of its sender's: the outcomes before it are published, and it is
 * {@link Failed} for the error handler to try again, up to ledger.ingestion.max-attempts, with the messages after
 * it.</li>
 * </ul>
 * A message delivered again is answered from what was stored under its idempotency key, never applied twice.
 */
final class CommandBatchListener implements BatchMessageListener<String, byte[]> {

    private static final Logger log = LoggerFactory.getLogger(CommandBatchListener.class);

    private final AgencyCommands commands;
    private final GlobalSequences sequences;
    private final OutcomePublisher outcomes;
    private final IngestionMeters meters;

    CommandBatchListener(AgencyCommands commands, GlobalSequences sequences, OutcomePublisher outcomes,
                         IngestionMeters meters) {
        this.commands = commands;
        this.sequences = sequences;
        this.outcomes = outcomes;
        this.meters = meters;
    }

    /** Where a message's handling ended: its outcome, or a failure that is not its sender's. */
    private record Settled(ReceivedCommand command, Outcome outcome, RuntimeException failure) {
    }

    @Override
    public void onMessage(List<ConsumerRecord<String, byte[]>> records) {
        if (records.isEmpty()) {
            return;
        }
        Settled failed;
        try {
            List<Settled> settled = settle(records);
            failed = settled.stream().filter(message -> message.failure() != null).findFirst().orElse(null);
            List<Outcome> handled = settled.stream().takeWhile(message -> message.failure() == null)
                    .map(Settled::outcome).toList();
            outcomes.publish(sequences.added(handled));
        } catch (RuntimeException outage) {
            log.warn("Command ingestion paused, its batch comes again: {}", outage.toString());
            meters.paused();
            throw new Outage(outage, records.get(0));
        }
        if (failed != null) {
            try (Correlation.Scope scope = Correlation.open(failed.command().correlationId())) {
                log.warn("Command message {} failed, to be tried again: {}", failed.command().source(),
                        failed.failure().toString());
            }
            throw new Failed(failed.failure(), failed.command().record());
        }
    }

    /**
     * Submits every message, then takes their outcomes in order. An outage anywhere is thrown (whatever else
     * failed alongside it is likely its consequence).
     */
    private List<Settled> settle(List<ConsumerRecord<String, byte[]>> records) {
        List<ReceivedCommand> received = records.stream().map(ReceivedCommand::of).toList();
        List<CompletableFuture<Outcome>> submitted = received.stream().map(commands::submit).toList();
        List<Settled> settled = new ArrayList<>();
        RuntimeException outage = null;
        for (int i = 0; i < received.size(); i++) {
            ReceivedCommand command = received.get(i);
            try {
                settled.add(new Settled(command, submitted.get(i).join(), null));
            } catch (CompletionException failed) {
                RuntimeException cause = cause(failed);
                Optional<ProblemDetail> problem = Problems.describe(cause);
                if (problem.isPresent()) {
                    settled.add(new Settled(command, Outcome.rejected(command, problem.get()), null));
                } else if (isOutage(cause)) {
                    outage = outage == null ? cause : outage;
                } else {
                    settled.add(new Settled(command, null, cause));
                }
            }
        }
        if (outage != null) {
            throw outage;
        }
        return settled;
    }

    /** The database or the transaction manager failing, even wrapped: not any message's fault. */
    private static boolean isOutage(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof DataAccessException || cause instanceof TransactionException) {
                return true;
            }
        }
        return false;
    }

    /** What a command's future failed with: the command's own exception, not the future's wrapper. */
    private static RuntimeException cause(CompletionException failed) {
        return failed.getCause() instanceof RuntimeException runtime ? runtime : failed;
    }

    /** The whole batch failed at its first message: nothing of it is handled, all of it comes again. */
    static final class Outage extends BatchListenerFailedException {

        Outage(Throwable cause, ConsumerRecord<?, ?> first) {
            super("command ingestion paused: " + cause, cause, first);
        }
    }

    /** One message failed for no reason of its sender's; those before it are handled. */
    static final class Failed extends BatchListenerFailedException {

        Failed(Throwable cause, ConsumerRecord<?, ?> record) {
            super("command message failed: " + cause, cause, record);
        }
    }
}
