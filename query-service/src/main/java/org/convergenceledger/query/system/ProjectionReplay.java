package org.convergenceledger.query.system;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.convergenceledger.events.LedgerEvents;
import org.convergenceledger.events.LedgerMetadata;
import org.convergenceledger.events.canonical.EventHash;
import org.convergenceledger.query.convergence.ConvergenceChanges;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationContext;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.stereotype.Component;

/**
 * Rebuilds the activity-view projection straight from the event store (the command side's database, read-only;
 * not from Kafka) into session-private temporary tables, through the very same event handlers, then runs the given
 * reads against them: unqualified table names resolve to the temporary copies for that session. Everything is
 * rolled back afterwards; the live projection is never touched. Serves the auditors' independent replay and the
 * views "as of" a past instant. Enabled when ledger.audit.event-store.url is set.
 */
@Component
public class ProjectionReplay {

    private static final int CHUNK = 500;

    /** Which stored events a replay takes: up to a global sequence, or those recorded up to an instant. */
    public record Bound(Long upToSequence, Instant recordedUpTo) {

        public static Bound sequence(long upTo) {
            return new Bound(upTo, null);
        }

        public static Bound recordedBy(Instant instant) {
            return new Bound(null, instant);
        }
    }

    /** What the reads returned, how many events the replay applied, and the global sequence of the last. */
    public record Replayed<T>(T result, long eventsReplayed, long lastSequence) {
    }

    private final JdbcTemplate queryDatabase;
    private final HikariDataSource eventStore;
    private final TransactionTemplate replayTransaction;
    private final ApplicationContext context;
    private final ObjectMapper json;

    ProjectionReplay(JdbcTemplate queryDatabase, PlatformTransactionManager transactions, ApplicationContext context,
                     ObjectMapper json, @Value("${ledger.audit.event-store.url:}") String url,
                     @Value("${ledger.audit.event-store.username:postgres}") String username,
                     @Value("${ledger.audit.event-store.password:postgres}") String password) {
        this.queryDatabase = queryDatabase;
        this.replayTransaction = new TransactionTemplate(transactions);
        this.context = context;
        this.json = json;
        if (url.isBlank()) {
            this.eventStore = null;
        } else {
            HikariDataSource source = new HikariDataSource();
            source.setJdbcUrl(url);
            source.setUsername(username);
            source.setPassword(password);
            source.setMaximumPoolSize(2);
            source.setReadOnly(true);
            source.setPoolName("event-store-read");
            // Not needed to serve reads: the pool connects on first use, and the service starts without it.
            source.setInitializationFailTimeout(-1);
            this.eventStore = source;
        }
    }

    public <T> Replayed<T> replay(Bound bound, Supplier<T> reads) {
        requireEventStore();
        List<AnnotationEventHandlerAdapter> handlers = handlers();
        return ConvergenceChanges.quietly(() -> replayTransaction.execute(status -> {
            shadowTables();
            Applied applied = apply(bound, handlers);
            T result = reads.get();
            // The replay's tables vanish with the transaction; the live projection was never touched.
            status.setRollbackOnly();
            return new Replayed<>(result, applied.events(), applied.lastSequence());
        }));
    }

    /**
     * Applies the stored events to the projection tables this connection sees by default — for the replay
     * command, the empty tables of a fresh schema — and commits them, so they can be examined afterwards.
     */
    public <T> Replayed<T> rebuildInPlace(Bound bound, Supplier<T> reads) {
        requireEventStore();
        List<AnnotationEventHandlerAdapter> handlers = handlers();
        return ConvergenceChanges.quietly(() -> replayTransaction.execute(status -> {
            Applied applied = apply(bound, handlers);
            return new Replayed<>(reads.get(), applied.events(), applied.lastSequence());
        }));
    }

    private record Applied(long events, long lastSequence) {
    }

    private void requireEventStore() {
        if (eventStore == null) {
            throw new NotFound("replay from the event store (set ledger.audit.event-store.url)", "event store");
        }
    }

    /**
     * Streams the stored events in global order through the handlers, in units of work of {@value #CHUNK} events
     * as the live processor's batches: the handlers' per-batch caches and summed writes then apply here as well.
     */
    private Applied apply(Bound bound, List<AnnotationEventHandlerAdapter> handlers) {
        long[] replayed = {0, 0};
        List<UnitOfWork<?>> chunk = new ArrayList<>(1);
        JdbcTemplate store = new JdbcTemplate(eventStore);
        store.query(connection -> {
            // Stored timestamps are fixed-width ISO-8601 UTC text: text order is time order.
            PreparedStatement statement = connection.prepareStatement("""
                    SELECT globalindex, type, aggregateidentifier, sequencenumber, eventidentifier, timestamp,
                           payloadtype, payload, metadata
                    FROM domainevententry WHERE %s ORDER BY globalindex
                    """.formatted(bound.upToSequence() != null ? "globalindex <= ?" : "timestamp <= ?"));
            if (bound.upToSequence() != null) {
                statement.setLong(1, bound.upToSequence());
            } else {
                statement.setString(1, EventHash.recordedAt(bound.recordedUpTo()));
            }
            statement.setFetchSize(500);
            return statement;
        }, row -> {
            long globalIndex = row.getLong("globalindex");
            String payloadType = row.getString("payloadtype");
            Class<?> type = LedgerEvents.named(payloadType).orElseThrow(() ->
                    new IllegalStateException("unknown event type " + payloadType));
            try {
                Map<String, Object> metadata = new HashMap<>(row.getBytes("metadata") == null ? Map.of()
                        : json.readValue(row.getBytes("metadata"), new TypeReference<Map<String, Object>>() {
                        }));
                metadata.put(LedgerMetadata.GLOBAL_SEQUENCE, Long.toString(globalIndex));
                // Read in global order: the predecessor is the row before, as the publisher would name it.
                metadata.put(LedgerMetadata.PREVIOUS_GLOBAL_SEQUENCE, Long.toString(replayed[1]));
                var message = new GenericDomainEventMessage<>(row.getString("type"),
                        row.getString("aggregateidentifier"), row.getLong("sequencenumber"),
                        json.readValue(row.getBytes("payload"), type), MetaData.from(metadata),
                        row.getString("eventidentifier"), Instant.parse(row.getString("timestamp")));
                if (chunk.isEmpty()) {
                    chunk.add(DefaultUnitOfWork.startAndGet(message));
                }
                for (AnnotationEventHandlerAdapter handler : handlers) {
                    if (handler.canHandle(message)) {
                        handler.handle(message);
                    }
                }
                if ((replayed[0] + 1) % CHUNK == 0) {
                    chunk.remove(0).commit();
                }
            } catch (IOException e) {
                throw abandon(chunk, new IllegalStateException("event " + globalIndex + " cannot be read", e));
            } catch (Exception e) {
                throw abandon(chunk, new IllegalStateException("event " + globalIndex + " failed to replay", e));
            }
            replayed[0]++;
            replayed[1] = globalIndex;
        });
        if (!chunk.isEmpty()) {
            chunk.remove(0).commit();
        }
        return new Applied(replayed[0], replayed[1]);
    }

    // The surrounding transaction rolls the rows back; the unit of work must not stay bound to this thread.
    private static IllegalStateException abandon(List<UnitOfWork<?>> chunk, IllegalStateException failure) {
        if (!chunk.isEmpty()) {
            chunk.remove(0).rollback(failure);
        }
        return failure;
    }

    /** Session-private copies of the projection's tables; unqualified names now resolve to them. */
    private void shadowTables() {
        List<String> tables = new ArrayList<>(Projections.ACTIVITY_VIEW_TABLES);
        tables.add("projection_position");
        tables.add("projection_pending");
        // Copies of the tables of the schema the live projection is in, whichever that is.
        String schema = queryDatabase.queryForObject("SELECT current_schema()", String.class);
        for (String table : tables) {
            queryDatabase.execute("CREATE TEMP TABLE " + table + " (LIKE \"" + schema + "\"." + table
                    + " INCLUDING ALL) ON COMMIT DROP");
        }
    }

    /** The same handlers the live activity-view processor runs, invoked directly. */
    private List<AnnotationEventHandlerAdapter> handlers() {
        List<AnnotationEventHandlerAdapter> adapters = new ArrayList<>();
        for (Object bean : context.getBeansWithAnnotation(ProcessingGroup.class).values()) {
            ProcessingGroup group = AnnotationUtils.findAnnotation(AopUtils.getTargetClass(bean), ProcessingGroup.class);
            if (group != null && Projections.ACTIVITY_VIEW.equals(group.value())) {
                adapters.add(new AnnotationEventHandlerAdapter(bean));
            }
        }
        if (adapters.isEmpty()) {
            throw new IllegalStateException("no handlers of " + Projections.ACTIVITY_VIEW + " found");
        }
        return adapters;
    }

    @PreDestroy
    void close() {
        if (eventStore != null) {
            eventStore.close();
        }
    }
}
