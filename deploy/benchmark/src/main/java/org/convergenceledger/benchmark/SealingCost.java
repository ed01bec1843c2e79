package org.convergenceledger.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.convergenceledger.events.activity.ActivityEvent;
import org.convergenceledger.events.canonical.EventHash;

/**
 * What sealing adds to appending an event, measured as event inserts into a scratch copy of domainevententry
 * ({@link RawInsert#createTable(String)}), each in its own transaction, with and without HashChain's work:
 * <ul>
 *   <li>plain: serialize the payload (the ledger's Jackson configuration, as Axon's serializer) and the metadata
 *       (traceId, correlationId, recordedBy, occurredAt), INSERT, COMMIT;</li>
 *   <li>sealed: the same, plus, in the same transaction, what HashChain does for an event whose predecessor was
 *       appended by an earlier unit of work — SELECT the previous event's metadata by (aggregate, sequence), parse
 *       it, take its hash (genesis for event 0, no SELECT) — the payload as a tree (valueToTree), EventHash.of, and
 *       metadata two 64-character hashes larger.</li>
 * </ul>
 * Both use an explicit transaction (the command path always has one), so the difference is HashChain's alone.
 */
final class SealingCost {

    static final String TABLE = "bench_audit_insert";

    /** {@code times}: every insert transaction; {@code linkedTimes}: those of sealed events that read a predecessor. */
    record Result(boolean sealed, int threads, double seconds, Latencies times, Latencies linkedTimes, Errors errors,
                  long payloadBytes, long metadataBytes) {
        long inserts() {
            return times.size();
        }

        double insertsPerSecond() {
            return seconds > 0 ? inserts() / seconds : 0;
        }

        double meanPayload() {
            return inserts() > 0 ? (double) payloadBytes / inserts() : Double.NaN;
        }

        double meanMetadata() {
            return inserts() > 0 ? (double) metadataBytes / inserts() : Double.NaN;
        }

        /** Several phases of one kind at one level, added up. */
        static Result merge(List<Result> phases) {
            Errors errors = new Errors();
            phases.forEach(r -> errors.addAll(r.errors()));
            return new Result(phases.get(0).sealed(), phases.get(0).threads(),
                    phases.stream().mapToDouble(Result::seconds).sum(),
                    Latencies.merge(phases.stream().map(Result::times).toList()),
                    Latencies.merge(phases.stream().map(Result::linkedTimes).toList()), errors,
                    phases.stream().mapToLong(Result::payloadBytes).sum(),
                    phases.stream().mapToLong(Result::metadataBytes).sum());
        }
    }

    private final RawInsert db;
    private final AuditEvents events;
    private final int chainLength;
    private final int timeoutSeconds;

    SealingCost(RawInsert db, AuditEvents events, int chainLength, int timeoutSeconds) {
        this.db = db;
        this.events = events;
        this.chainLength = chainLength;
        this.timeoutSeconds = timeoutSeconds;
    }

    void truncate() throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE " + TABLE + " RESTART IDENTITY");
        }
    }

    Result run(boolean sealed, int threads, long seconds, String label) throws Exception {
        Errors errors = new Errors();
        List<Latencies> mine = new ArrayList<>();
        List<Latencies> mineLinked = new ArrayList<>();
        AtomicLong payloadBytes = new AtomicLong();
        AtomicLong metadataBytes = new AtomicLong();
        Phase.Timing timing = Phase.run(threads, seconds, 0, index -> {
            Latencies all = new Latencies();
            Latencies withSelect = new Latencies();
            synchronized (mine) {
                mine.add(all);
                mineLinked.add(withSelect);
            }
            return new Worker(sealed, label + "-" + index, all, withSelect, errors, payloadBytes, metadataBytes);
        });
        return new Result(sealed, threads, timing.seconds(), Latencies.merge(mine), Latencies.merge(mineLinked),
                errors, payloadBytes.get(), metadataBytes.get());
    }

    private final class Worker implements Phase.Worker {

        private final boolean sealed;
        private final String aggregatePrefix;
        private final Latencies times;
        private final Latencies linkedTimes;
        private final Errors errors;
        private final AtomicLong payloadBytes;
        private final AtomicLong metadataBytes;
        private final SplittableRandom random = new SplittableRandom(ThreadLocalRandom.current().nextLong());
        private Connection connection;
        private PreparedStatement insert;
        private PreparedStatement previous;
        private long local;
        private Workload.Activity activity;

        Worker(boolean sealed, String aggregatePrefix, Latencies times, Latencies linkedTimes, Errors errors,
               AtomicLong payloadBytes, AtomicLong metadataBytes) {
            this.sealed = sealed;
            this.aggregatePrefix = aggregatePrefix;
            this.times = times;
            this.linkedTimes = linkedTimes;
            this.errors = errors;
            this.payloadBytes = payloadBytes;
            this.metadataBytes = metadataBytes;
        }

        @Override
        public void prepare() throws SQLException {
            connection = db.connect();
            connection.setAutoCommit(false);
            insert = connection.prepareStatement(RawInsert.insertSql(TABLE));
            insert.setQueryTimeout(timeoutSeconds);
            // HashChain.storedHash's query
            previous = connection.prepareStatement("SELECT metadata FROM " + TABLE
                    + " WHERE aggregateidentifier = ? AND sequencenumber = ?");
            previous.setQueryTimeout(timeoutSeconds);
        }

        @Override
        public void unit(long number) throws SQLException {
            // This worker's own activities, event after event: a predecessor is always committed before its successor.
            long sequence = local % chainLength;
            String aggregateId = aggregatePrefix + "-" + (local / chainLength);
            local++;
            if (sequence == 0) {
                activity = events.activity(random.nextInt(1_000_000));
            }
            ActivityEvent event = events.event(aggregateId, activity, sequence, random);
            String eventId = AuditEvents.uuid(random);
            String trace = AuditEvents.uuid(random);
            Instant now = Instant.now();
            String recordedAt = EventHash.recordedAt(now);
            String occurredAt = now.toString();
            String payloadType = event.getClass().getName();

            long start = System.nanoTime();
            try {
                Map<String, Object> metadata = new LinkedHashMap<>();
                metadata.put("traceId", trace);
                metadata.put("recordedBy", activity.leadAgency());
                metadata.put("occurredAt", occurredAt);
                metadata.put("correlationId", trace);
                if (sealed) {
                    String previousHash = EventHash.GENESIS;
                    if (sequence > 0) {
                        previous.setString(1, aggregateId);
                        previous.setLong(2, sequence - 1);
                        byte[] stored = null;
                        try (ResultSet r = previous.executeQuery()) {
                            if (r.next()) {
                                stored = r.getBytes(1);
                            }
                        }
                        if (stored == null) {
                            throw new IllegalStateException("event " + (sequence - 1) + " of " + aggregateId
                                    + " is missing from " + TABLE);
                        }
                        JsonNode parsed = AuditEvents.JSON.readTree(stored);
                        previousHash = parsed.path("hash").asText(EventHash.GENESIS);
                    }
                    String hash = EventHash.of(new EventHash.Fields(eventId, aggregateId, sequence, payloadType,
                            recordedAt, AuditEvents.envelope(activity.leadAgency(), occurredAt),
                            AuditEvents.JSON.valueToTree(event), previousHash));
                    metadata.put("previousHash", previousHash);
                    metadata.put("hash", hash);
                }
                byte[] payload = AuditEvents.JSON.writeValueAsBytes(event);
                byte[] meta = AuditEvents.JSON.writeValueAsBytes(metadata);
                insert.setString(1, aggregateId);
                insert.setLong(2, sequence);
                insert.setString(3, "Activity");
                insert.setString(4, eventId);
                insert.setBytes(5, meta);
                insert.setBytes(6, payload);
                insert.setString(7, null);
                insert.setString(8, payloadType);
                insert.setString(9, recordedAt);
                insert.executeUpdate();
                connection.commit();
                long elapsed = System.nanoTime() - start;
                times.add(elapsed);
                if (sealed && sequence > 0) {
                    linkedTimes.add(elapsed);
                }
                payloadBytes.addAndGet(payload.length);
                metadataBytes.addAndGet(meta.length);
            } catch (SQLException | java.io.IOException | RuntimeException e) {
                errors.record((sealed ? "sealed " : "plain ") + e.getClass().getSimpleName()
                        + (e instanceof SQLException s ? " SQLState " + s.getSQLState() : ""), e.getMessage());
                try {
                    connection.rollback();
                } catch (SQLException ignored) {
                    // the next unit will fail too and be counted
                }
                local += chainLength - 1 - (local - 1) % chainLength; // start a fresh activity
            }
        }

        @Override
        public void close() {
            try {
                if (connection != null) {
                    connection.close();
                }
            } catch (SQLException ignored) {
                // closing after the measurement; nothing to report
            }
        }
    }
}
