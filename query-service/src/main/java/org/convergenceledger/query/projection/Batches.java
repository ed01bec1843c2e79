package org.convergenceledger.query.projection;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.convergenceledger.events.LedgerMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Turns Axon's per-event handler calls into whole batches. A read model's projection has one catch-all handler that
 * hands each event here; the first event of a processor batch arranges for the batch to be applied just before its
 * transaction commits, together with the token: the projection then writes a table once per batch, not once per
 * event, and a batch that fails is rolled back and redelivered whole.
 *
 * <p>While a batch is applied, the MDC's correlationId holds the correlation ids of its events (the requests and
 * commands that caused them, in order, at most {@value #MDC_IDS}), so every log line of the batch names them; a
 * batch is applied set-based, so there is no line per event to give each its own.
 */
public final class Batches {

    static final String MDC_KEY = LedgerMetadata.CORRELATION_ID;
    private static final int MDC_IDS = 20;
    private static final Logger log = LoggerFactory.getLogger(Batches.class);

    private Batches() {
    }

    /**
     * @param key   names the projection's batch among the unit of work's resources
     * @param apply applies a batch; called once per processor batch (at once for a call outside a unit of work)
     */
    public static void collect(String key, EventMessage<?> message, Object payload, Consumer<List<Recorded>> apply) {
        collect(key, new Recorded(LedgerEnvelope.of(message), payload), apply);
    }

    /** The same for a projection that keeps something else of each event than its envelope and payload. */
    public static <T> void collect(String key, T element, Consumer<List<T>> apply) {
        if (!CurrentUnitOfWork.isStarted()) {
            new Batch<T>(key).add(element, null).apply(apply);
            return;
        }
        UnitOfWork<?> batch = CurrentUnitOfWork.get().root();
        // The unit of work of a processor batch names the event being handled.
        Object correlationId = correlationIdOf(CurrentUnitOfWork.get().getMessage());
        Batch<T> events = batch.getOrComputeResource(Batches.class.getName() + "." + key, name -> {
            Batch<T> collected = new Batch<>(key);
            batch.onPrepareCommit(committing -> collected.apply(apply));
            return collected;
        });
        events.add(element, correlationId);
    }

    private static Object correlationIdOf(Message<?> message) {
        return message == null ? null : message.getMetaData().get(LedgerMetadata.CORRELATION_ID);
    }

    private static final class Batch<T> {

        private final String projection;
        private final List<T> elements = new ArrayList<>();
        private final Set<Object> correlationIds = new LinkedHashSet<>();

        Batch(String projection) {
            this.projection = projection;
        }

        Batch<T> add(T element, Object correlationId) {
            elements.add(element);
            if (correlationId != null) {
                correlationIds.add(correlationId);
            }
            return this;
        }

        void apply(Consumer<List<T>> apply) {
            String before = MDC.get(MDC_KEY);
            if (!correlationIds.isEmpty()) {
                MDC.put(MDC_KEY, mdcValue());
            }
            try {
                log.debug("{}: applying {} events", projection, elements.size());
                apply.accept(elements);
            } catch (RuntimeException | Error failure) {
                // Axon logs the failure too, but outside the batch, without its correlation ids.
                log.warn("{}: a batch of {} events failed and is rolled back (it is delivered again): {}",
                        projection, elements.size(), failure.toString());
                throw failure;
            } finally {
                if (before == null) {
                    MDC.remove(MDC_KEY);
                } else {
                    MDC.put(MDC_KEY, before);
                }
            }
        }

        private String mdcValue() {
            StringBuilder ids = new StringBuilder();
            int written = 0;
            for (Object id : correlationIds) {
                if (written == MDC_IDS) {
                    return ids.append(" (+").append(correlationIds.size() - MDC_IDS).append(" more)").toString();
                }
                ids.append(written++ == 0 ? "" : " ").append(id);
            }
            return ids.toString();
        }
    }
}
