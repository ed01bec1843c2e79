package org.convergenceledger.command.ingestion;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.convergenceledger.command.system.Problems;
import org.convergenceledger.web.Correlation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.FixedBackOff;

/**
 * What the container does with what {@link CommandBatchListener} throws. Both failures name a message (a
 * BatchListenerFailedException): the offsets before it are committed, it and the rest are sought back and polled
 * again after ledger.ingestion.retry-backoff. An {@link CommandBatchListener.Outage} is retried for as long as it
 * lasts (until the container stops) and never dead-lettered; a {@link CommandBatchListener.Failed} message is tried
 * ledger.ingestion.max-attempts times in all, then rejected as internal-error: its result published and its
 * message dead-lettered like any refused one, its offset committed, and the messages after it go on.
 */
final class IngestionErrorHandler extends DefaultErrorHandler {

    private static final Logger log = LoggerFactory.getLogger(IngestionErrorHandler.class);

    IngestionErrorHandler(IngestionProperties properties, OutcomePublisher outcomes) {
        // Retried until the container stops unless the failure is a message's own. The limited back-off is not the
        // default: a default that allows no retry (max-attempts 1) would make the library recover at once, outages
        // included.
        super((record, failure) -> rejectAsInternalError(record, failure, properties.maxAttempts(), outcomes),
                new FixedBackOff(properties.retryBackoff().toMillis(), FixedBackOff.UNLIMITED_ATTEMPTS));
        FixedBackOff limited = new FixedBackOff(properties.retryBackoff().toMillis(),
                Math.max(0, properties.maxAttempts() - 1));
        setBackOffFunction((record, failure) -> failure instanceof CommandBatchListener.Failed ? limited : null);
        // The listener alone says what is retried: none of the library's exceptions "not retryable" by default
        // (a ClassCastException deep in an outage's causes must not end in the dead-letter topic).
        setClassifications(Map.of(), true);
        // An outage after failed attempts of a message, or a failure after an outage, starts its own back-off. The
        // two exceptions are distinct classes, neither an instance of the other, for this to tell them apart.
        setResetStateOnExceptionChange(true);
        // The library's "seek to current" after each retry would log a stack trace at ERROR; the listener and the
        // recoverer already say what failed and what became of it.
        setLogLevel(KafkaException.Level.DEBUG);
    }

    @SuppressWarnings("unchecked")
    private static void rejectAsInternalError(ConsumerRecord<?, ?> record, Exception failure, int attempts,
                                              OutcomePublisher outcomes) {
        ReceivedCommand command = ReceivedCommand.of((ConsumerRecord<String, byte[]>) record);
        Throwable cause = failedWith(failure);
        try (Correlation.Scope scope = Correlation.open(command.correlationId())) {
            log.error("Command message {} failed {} times; dead-lettered", command.source(), attempts, cause);
        }
        outcomes.publish(List.of(Outcome.rejected(command, Problems.problem(HttpStatus.INTERNAL_SERVER_ERROR,
                "internal-error", "Internal error", "the ledger could not handle this command after " + attempts
                        + " tries; nothing was stored: " + cause))));
    }

    /** The message's own failure, under the container's and the listener's wrappers. */
    private static Throwable failedWith(Exception failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof CommandBatchListener.Failed failed && failed.getCause() != null) {
                return failed.getCause();
            }
        }
        return failure;
    }
}
