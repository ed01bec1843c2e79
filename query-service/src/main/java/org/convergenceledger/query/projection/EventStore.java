package org.convergenceledger.query.projection;

import com.fasterxml.jackson.core.type.TypeReference;
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
import java.util.Map;
import org.convergenceledger.events.LedgerEvents;
import org.convergenceledger.events.LedgerMetadata;
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

    private static final TypeReference<Map<String, Object>> METADATA = new TypeReference<>() {
    };

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
     * Reads the selected events in global order and hands them over in chunks.
     *
     * @return how many events were read
     */
    public long read(Selection selection, int chunkSize, Chunks chunks) throws SQLException {
        require();
        long read = 0;
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
            List<Recorded> chunk = new ArrayList<>(chunkSize);
            long previous = selection.after();
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    long globalIndex = row.getLong("globalindex");
                    chunk.add(recorded(row, globalIndex, previous));
                    previous = globalIndex;
                    if (chunk.size() == chunkSize) {
                        chunks.accept(chunk);
                        read += chunk.size();
                        chunk = new ArrayList<>(chunkSize);
                    }
                }
            }
            if (!chunk.isEmpty()) {
                chunks.accept(chunk);
                read += chunk.size();
            }
            connection.rollback();
        }
        return read;
    }

    private Recorded recorded(ResultSet row, long globalIndex, long previous) throws SQLException {
        String payloadType = row.getString("payloadtype");
        Class<?> type = LedgerEvents.named(payloadType).orElseThrow(() ->
                new IllegalStateException("event " + globalIndex + " has an unknown type " + payloadType));
        try {
            byte[] metadataBytes = row.getBytes("metadata");
            Map<String, Object> metadata = metadataBytes == null ? Map.of() : json.readValue(metadataBytes, METADATA);
            Object payload = json.readValue(row.getBytes("payload"), type);
            String aggregateType = row.getString("type");
            LedgerEnvelope envelope = new LedgerEnvelope(globalIndex, previous, row.getString("eventidentifier"),
                    aggregateType == null ? null : row.getString("aggregateidentifier"), row.getLong("sequencenumber"),
                    text(metadata.get(LedgerMetadata.RECORDED_BY)),
                    LedgerEnvelope.instant(metadata.get(LedgerMetadata.OCCURRED_AT)),
                    Instant.parse(row.getString("timestamp")),
                    text(metadata.get(LedgerMetadata.IDEMPOTENCY_KEY)));
            return new Recorded(envelope, payload);
        } catch (IOException e) {
            throw new IllegalStateException("event " + globalIndex + " cannot be read", e);
        }
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
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
