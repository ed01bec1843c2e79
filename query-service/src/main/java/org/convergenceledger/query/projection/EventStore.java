package org.convergenceledger.query.projection;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import org.convergenceledger.events.LedgerEvents;
import org.convergenceledger.events.LedgerMetadata;
import org.convergenceledger.events.upcasting.LedgerUpcaster;
import org.convergenceledger.events.upcasting.PlannedBudgetByYear;
import org.convergenceledger.query.system.NotFound;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The ledger's event store (the command side's database), read only and straight, not through Kafka: for rebuilds,
 * auditors' replays and digests. Events come in global order, in chunks, as a projection receives them. Enabled when
 * ledger.audit.event-store.url is set; without it those operations answer 404.
 */
@Component
public class EventStore implements DisposableBean {

    /**
     * Which stored events to read: those with after &lt; global sequence &lt;= upTo, and the ones listed in also.
     */
    public record Selection(long after, long upTo, List<Long> also) {

        public static Selection upTo(long sequence) {
            return new Selection(0, sequence, List.of());
        }

        public static Selection all() {
            return upTo(Long.MAX_VALUE);
        }
    }

    /** Receives the events of one chunk, in global order. */
    public interface Chunks {
        void accept(List<Recorded> chunk) throws SQLException;
    }

    private final HikariDataSource dataSource;
    private final ObjectMapper json;

    @Autowired
    EventStore(ObjectMapper json, @Value("${ledger.audit.event-store.url:}") String url,
               @Value("${ledger.audit.event-store.username:postgres}") String username,
               @Value("${ledger.audit.event-store.password:postgres}") String password) {
        this(json, url, username, password, 0);
    }

    /** An event store outside a Spring context (the replay command); close it with {@link #destroy()}. */
    public static EventStore connect(ObjectMapper json, String url, String username, String password) {
        return new EventStore(json, url, username, password, 0);
    }

    private EventStore(ObjectMapper json, String url, String username, String password, int unused) {
        this.json = json;
        if (url.isBlank()) {
            this.dataSource = null;
            return;
        }
        HikariDataSource source = new HikariDataSource();
        source.setJdbcUrl(url);
        source.setUsername(username);
        source.setPassword(password);
        source.setMaximumPoolSize(2);
        source.setReadOnly(true);
        // A cursor: the driver fetches rows a chunk at a time instead of the whole ledger at once.
        source.setAutoCommit(false);
        source.setPoolName("event-store-read");
        // Not needed to serve reads: the pool connects on first use, and the service starts without it.
        source.setInitializationFailTimeout(-1);
        this.dataSource = source;
    }

    public boolean available() {
        return dataSource != null;
    }

    /** The store's last global sequence. */
    public long head() {
        require();
        try (Connection connection = dataSource.getConnection();
             ResultSet rs = connection.createStatement().executeQuery(
                     "SELECT coalesce(max(globalindex), 0) FROM domainevententry")) {
            rs.next();
            long head = rs.getLong(1);
            connection.rollback();
            return head;
        } catch (SQLException e) {
            throw new IllegalStateException("the event store cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * Reads the selected events in global order and hands them over in chunks, on the calling thread (which may hold
     * a transaction). Rows are read by a thread of their own and decoded on others, ahead of the caller: decoding the
     * JSON is most of a replay's work, and the two cores share it.
     *
     * @return how many events were read
     */
    public long read(Selection selection, int chunkSize, Chunks chunks) throws SQLException {
        require();
        BlockingQueue<Future<List<Recorded>>> ready = new ArrayBlockingQueue<>(DECODERS * 2);
        ExecutorService decoders = Executors.newFixedThreadPool(DECODERS, daemon("event-store-decode"));
        AtomicBoolean stopped = new AtomicBoolean();
        Thread reader = daemon("event-store-read").newThread(() -> readRows(selection, chunkSize, decoders, ready,
                stopped));
        reader.start();
        long read = 0;
        try {
            while (true) {
                Future<List<Recorded>> next = ready.take();
                if (next == END) {
                    return read;
                }
                List<Recorded> chunk = next.get();
                chunks.accept(chunk);
                read += chunk.size();
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the event store", interrupted);
        } catch (ExecutionException failed) {
            throw failed.getCause() instanceof RuntimeException runtime ? runtime
                    : new IllegalStateException("the event store cannot be read: " + failed.getCause(),
                            failed.getCause());
        } finally {
            stopped.set(true);
            ready.clear();
            reader.interrupt();
            decoders.shutdownNow();
        }
    }

    private static final int DECODERS = 2;
    private static final Future<List<Recorded>> END = CompletableFuture.completedFuture(List.of());

    /** One stored row, undecoded. */
    private record Row(long globalIndex, long previous, String aggregateType, String aggregateId, long sequence,
                       String eventId, String timestamp, String payloadType, byte[] payload, byte[] metadata) {
    }

    private void readRows(Selection selection, int chunkSize, ExecutorService decoders,
                          BlockingQueue<Future<List<Recorded>>> ready, AtomicBoolean stopped) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("""
                     SELECT globalindex, type, aggregateidentifier, sequencenumber, eventidentifier, timestamp,
                            payloadtype, payload, metadata
                     FROM domainevententry
                     WHERE (globalindex > ? AND globalindex <= ?) OR globalindex = ANY (?)
                     ORDER BY globalindex
                     """)) {
            statement.setLong(1, selection.after());
            statement.setLong(2, selection.upTo());
            statement.setArray(3, connection.createArrayOf("bigint", selection.also().toArray()));
            statement.setFetchSize(chunkSize);
            List<Row> chunk = new ArrayList<>(chunkSize);
            long previous = selection.after();
            try (ResultSet row = statement.executeQuery()) {
                while (row.next() && !stopped.get()) {
                    long globalIndex = row.getLong(1);
                    chunk.add(new Row(globalIndex, previous, row.getString(2), row.getString(3), row.getLong(4),
                            row.getString(5), row.getString(6), row.getString(7), row.getBytes(8), row.getBytes(9)));
                    previous = globalIndex;
                    if (chunk.size() == chunkSize) {
                        List<Row> rows = chunk;
                        ready.put(decoders.submit(() -> decode(rows)));
                        chunk = new ArrayList<>(chunkSize);
                    }
                }
            }
            if (!chunk.isEmpty()) {
                List<Row> rows = chunk;
                ready.put(decoders.submit(() -> decode(rows)));
            }
            connection.rollback();
            ready.put(END);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        } catch (SQLException | RuntimeException failure) {
            ready.offer(CompletableFuture.failedFuture(new IllegalStateException(
                    "the event store cannot be read: " + failure.getMessage(), failure)));
        }
    }

    private List<Recorded> decode(List<Row> rows) {
        List<Recorded> recorded = new ArrayList<>(rows.size());
        for (Row row : rows) {
            recorded.add(recorded(row));
        }
        return recorded;
    }

    private Recorded recorded(Row row) {
        Class<?> type = LedgerEvents.named(row.payloadType()).orElseThrow(() ->
                new IllegalStateException("event " + row.globalIndex() + " has an unknown type " + row.payloadType()));
        try {
            Envelope envelope = envelope(row.metadata());
            // Through the same upcasts as the Kafka path, so a replay folds exactly what the live projection did.
            Object payload = PlannedBudgetByYear.appliesTo(row.payloadType())
                    ? json.treeToValue(LedgerUpcaster.payload(row.payloadType(), json.readTree(row.payload())), type)
                    : json.readerFor(type).readValue(row.payload());
            Instant recordedAt = LedgerEnvelope.utc(row.timestamp());
            return new Recorded(new LedgerEnvelope(row.globalIndex(), row.previous(), row.eventId(),
                    row.aggregateType() == null ? null : row.aggregateId(), row.sequence(), envelope.recordedBy,
                    LedgerEnvelope.instant(envelope.occurredAt),
                    recordedAt != null ? recordedAt : Instant.parse(row.timestamp()), envelope.idempotencyKey),
                    payload);
        } catch (IOException e) {
            throw new IllegalStateException("event " + row.globalIndex() + " cannot be read", e);
        }
    }

    /** The envelope fields a projection reads; the rest of the metadata (hashes, tracing) is skipped unparsed. */
    private static final class Envelope {
        String recordedBy;
        String occurredAt;
        String idempotencyKey;
    }

    private Envelope envelope(byte[] metadata) throws IOException {
        Envelope envelope = new Envelope();
        if (metadata == null) {
            return envelope;
        }
        try (JsonParser parser = json.getFactory().createParser(metadata)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return envelope;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                    parser.skipChildren();
                } else if (value != JsonToken.VALUE_NULL) {
                    switch (field) {
                        case LedgerMetadata.RECORDED_BY -> envelope.recordedBy = parser.getValueAsString();
                        case LedgerMetadata.OCCURRED_AT -> envelope.occurredAt = parser.getValueAsString();
                        case LedgerMetadata.IDEMPOTENCY_KEY -> envelope.idempotencyKey = parser.getValueAsString();
                        default -> {
                        }
                    }
                }
            }
        }
        return envelope;
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Fails with 404 when the event store is not configured. */
    public void require() {
        if (dataSource == null) {
            throw new NotFound("replay from the event store (set ledger.audit.event-store.url)", "event store");
        }
    }

    @Override
    public void destroy() {
        if (dataSource != null) {
            dataSource.close();
        }
    }
}
