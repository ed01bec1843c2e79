package org.convergenceledger.query.audit;

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
import java.util.function.Function;
import java.util.Optional;
import java.util.stream.Collectors;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.MetaData;
import org.convergenceledger.events.LedgerEvents;
import org.convergenceledger.events.LedgerMetadata;
import org.convergenceledger.query.convergence.ConvergenceChanges;
import org.convergenceledger.query.system.NotFound;
import org.convergenceledger.query.system.ProjectionPosition;
import org.convergenceledger.query.system.Projections;
import org.convergenceledger.query.system.ReadSnapshot;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationContext;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * An auditor's second opinion on the projection: rebuild it straight from the event store (the command side's
 * database, read-only; not from Kafka) into a fresh set of session-private tables, through the very same event
 * handlers, and fingerprint the result. Equal to the live digest at the same position means the live view is what
 * the stored facts imply. Enabled when ledger.audit.event-store.url is set.
 *
 * <p>GET /api/audit/projection-digest — the live projection's digest; GET /api/audit/projection-digest/replayed —
 * the digest of an independent replay up to the same position (or ?upToSequence=).
 */
@RestController
class IndependentReplay {

    private static final Map<String, Class<?>> EVENT_TYPES = LedgerEvents.ALL.stream()
            .collect(Collectors.toMap(Class::getName, Function.identity()));

    record DigestAnswer(String digest, long upToSequence, long eventsReplayed, Map<String, Long> rows,
                        String source) {
    }

    private final JdbcTemplate queryDatabase;
    private final HikariDataSource eventStore;
    private final ProjectionDigest digest;
    private final ProjectionPosition position;
    private final ReadSnapshot snapshot;
    private final TransactionTemplate replayTransaction;
    private final ApplicationContext context;
    private final ObjectMapper json;

    IndependentReplay(JdbcTemplate queryDatabase, ProjectionDigest digest, ProjectionPosition position,
                      ReadSnapshot snapshot, PlatformTransactionManager transactions, ApplicationContext context,
                      ObjectMapper json, @Value("${ledger.audit.event-store.url:}") String url,
                      @Value("${ledger.audit.event-store.username:postgres}") String username,
                      @Value("${ledger.audit.event-store.password:postgres}") String password) {
        this.queryDatabase = queryDatabase;
        this.digest = digest;
        this.position = position;
        this.snapshot = snapshot;
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

    @GetMapping("/api/audit/projection-digest")
    DigestAnswer live() {
        return snapshot.read(() -> {
            ProjectionDigest.Digest live = digest.compute();
            Long at = position.asOfSequence(Projections.ACTIVITY_VIEW);
            return new DigestAnswer(live.digest(), at == null ? 0 : at, 0, live.rows(), "live projection");
        });
    }

    @GetMapping("/api/audit/projection-digest/replayed")
    DigestAnswer replayed(@RequestParam(required = false) Long upToSequence) {
        if (eventStore == null) {
            throw new NotFound("independent replay (set ledger.audit.event-store.url)", "event store");
        }
        long upTo = upToSequence != null ? upToSequence
                : Optional.ofNullable(position.asOfSequence(Projections.ACTIVITY_VIEW)).orElse(0L);
        List<AnnotationEventHandlerAdapter> handlers = handlers();
        return ConvergenceChanges.quietly(() -> replayTransaction.execute(status -> {
            shadowTables();
            long[] replayed = {0};
            JdbcTemplate store = new JdbcTemplate(eventStore);
            store.query(connection -> {
                PreparedStatement statement = connection.prepareStatement("""
                        SELECT globalindex, type, aggregateidentifier, sequencenumber, eventidentifier, timestamp,
                               payloadtype, payload, metadata
                        FROM domainevententry WHERE globalindex <= ? ORDER BY globalindex
                        """);
                statement.setLong(1, upTo);
                statement.setFetchSize(500);
                return statement;
            }, row -> {
                Class<?> type = EVENT_TYPES.get(row.getString("payloadtype"));
                if (type == null) {
                    throw new IllegalStateException("unknown event type " + row.getString("payloadtype"));
                }
                try {
                    Map<String, Object> metadata = new HashMap<>(row.getBytes("metadata") == null ? Map.of()
                            : json.readValue(row.getBytes("metadata"), new TypeReference<Map<String, Object>>() {
                            }));
                    metadata.put(LedgerMetadata.GLOBAL_SEQUENCE, Long.toString(row.getLong("globalindex")));
                    var message = new GenericDomainEventMessage<>(row.getString("type"),
                            row.getString("aggregateidentifier"), row.getLong("sequencenumber"),
                            json.readValue(row.getBytes("payload"), type), MetaData.from(metadata),
                            row.getString("eventidentifier"), Instant.parse(row.getString("timestamp")));
                    for (AnnotationEventHandlerAdapter handler : handlers) {
                        if (handler.canHandle(message)) {
                            handler.handle(message);
                        }
                    }
                } catch (IOException e) {
                    throw new IllegalStateException("event " + row.getLong("globalindex") + " cannot be read", e);
                } catch (Exception e) {
                    throw new IllegalStateException("event " + row.getLong("globalindex") + " failed to replay", e);
                }
                replayed[0]++;
            });
            ProjectionDigest.Digest result = digest.compute();
            // The replay's tables vanish with the transaction; the live projection was never touched.
            status.setRollbackOnly();
            return new DigestAnswer(result.digest(), upTo, replayed[0], result.rows(),
                    "independent replay from the event store");
        }));
    }

    /** Session-private copies of the projection's tables; unqualified names now resolve to them. */
    private void shadowTables() {
        List<String> tables = new ArrayList<>(ProjectionDigest.TABLES);
        tables.add("projection_position");
        for (String table : tables) {
            queryDatabase.execute("CREATE TEMP TABLE " + table + " (LIKE public." + table + " INCLUDING ALL)"
                    + " ON COMMIT DROP");
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
