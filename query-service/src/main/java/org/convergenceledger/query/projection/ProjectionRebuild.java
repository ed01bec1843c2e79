package org.convergenceledger.query.projection;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.convergenceledger.query.system.NotFound;
import org.convergenceledger.query.system.ProjectionDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Rebuilds a read model from scratch while the live one keeps answering. The model is built from the event store
 * (up to the live complete prefix) into a staging schema, with COPY; the live processor is then paused for the few
 * events that arrived meanwhile, which are applied to the staging tables with the live code, and in one transaction
 * the staging tables replace the live ones. Readers see the old view until that commit and the new one after it; the
 * processor resumes from its token, whose position the new tables match exactly.
 */
@RestController
public class ProjectionRebuild {

    private static final Logger log = LoggerFactory.getLogger(ProjectionRebuild.class);
    private static final int CATCH_UP_CHUNK = 1_000;

    /** The last rebuild of a read model: where it is, and what it did. */
    public record Status(String projection, String state, Instant startedAt, Instant finishedAt, Long events,
                         Double seconds, Double eventsPerSecond, Long pausedMillis, Long caughtUpEvents,
                         Map<String, Long> rows, Map<String, Long> millis, String error) {
    }

    private final List<ReadModel> models;
    private final EventStore store;
    private final ProjectionDatabase database;
    private final EventProcessingConfiguration processing;
    private final Map<String, AtomicReference<Status>> statuses = new LinkedHashMap<>();

    ProjectionRebuild(List<ReadModel> models, EventStore store, ProjectionDatabase database,
                      EventProcessingConfiguration processing) {
        this.models = models;
        this.store = store;
        this.database = database;
        this.processing = processing;
        models.forEach(model -> statuses.put(model.name(), new AtomicReference<>()));
    }

    @PostMapping("/api/admin/projections/{name}/rebuild")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Status rebuild(@PathVariable String name) {
        ReadModel model = model(name);
        store.require();
        Status running = new Status(name, "running", Instant.now(), null, null, null, null, null, null, null, null,
                null);
        AtomicReference<Status> status = statuses.get(name);
        synchronized (status) {
            if (status.get() != null && "running".equals(status.get().state())) {
                throw new ResponseStatusException(HttpStatus.CONFLICT, "a rebuild of " + name + " is running");
            }
            status.set(running);
        }
        Thread worker = new Thread(() -> status.set(run(model, running.startedAt())), "rebuild-" + name);
        worker.setDaemon(true);
        worker.start();
        return running;
    }

    /**
     * Replays the read model from the start of ledger.events instead of the event store: its processor stops, its
     * token goes back to the start of the topic, its tables are emptied (the projection's reset handler), and it
     * applies every event again. Reads show the view as far as the replay has come meanwhile (asOfSequence says how
     * far): use it when the event store cannot be reached, or to measure how fast the projection applies a backlog.
     */
    @PostMapping("/api/admin/projections/{name}/replay")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Map<String, Object> replayFromTopic(@PathVariable String name) {
        ReadModel model = model(name);
        StreamingEventProcessor processor = processing.eventProcessor(model.name(), StreamingEventProcessor.class)
                .orElseThrow(() -> new NotFound("projection", name));
        processor.shutDown();
        processor.resetTokens();
        processor.start();
        log.info("Projection {} reset: replaying ledger.events from the start", name);
        return Map.of("projection", name, "resetAt", Instant.now().toString());
    }

    /**
     * Stops a projection's processor (it keeps its token) until resumed: for maintenance, and to let a backlog build
     * up and time how fast the projection then applies it. Any projection of the query side, rebuildable or not.
     */
    @PostMapping("/api/admin/projections/{name}/pause")
    Map<String, Object> pause(@PathVariable String name) {
        processor(name).shutDown();
        log.info("Projection {} paused", name);
        return Map.of("projection", name, "running", false);
    }

    @PostMapping("/api/admin/projections/{name}/resume")
    Map<String, Object> resume(@PathVariable String name) {
        processor(name).start();
        log.info("Projection {} resumed", name);
        return Map.of("projection", name, "running", true);
    }

    private StreamingEventProcessor processor(String name) {
        if (!Projections.ALL.contains(name)) {
            throw new NotFound("projection", name);
        }
        return processing.eventProcessor(name, StreamingEventProcessor.class)
                .orElseThrow(() -> new NotFound("projection", name));
    }

    @GetMapping("/api/admin/projections/{name}/rebuild")
    Status lastRebuild(@PathVariable String name) {
        model(name);
        return Optional.ofNullable(statuses.get(name).get()).orElseThrow(() -> new NotFound("rebuild of", name));
    }

    /** Runs a whole rebuild on the calling thread; the status says how it went. */
    public Status run(ReadModel model, Instant startedAt) {
        String live = database.jdbc().queryForObject("SELECT current_schema()", String.class);
        String staging = live + "_rebuild";
        StreamingEventProcessor processor = processing.eventProcessor(model.name(), StreamingEventProcessor.class)
                .orElseThrow(() -> new NotFound("projection", model.name()));
        long started = System.nanoTime();
        // A projection an administrator paused stays paused after the swap; only the rebuild's own pause ends.
        boolean wasRunning = processor.isRunning();
        boolean paused = false;
        try {
            Schemas.fresh(database.dataSource(), staging);
            long prefix = ProjectionPosition.of(database.jdbc(), model.name())
                    .map(ProjectionPosition.Position::globalSequence).orElse(0L);
            // Side by side on two of the projections' connections: the staging tables are nobody's view yet.
            ReadModel.Built built = model.build(BulkTarget.inSchema(database.dataSource(), staging, 2), store,
                    EventStore.Selection.upTo(prefix), Moment.LIVE);
            inSchema(staging, jdbc -> {
                Schemas.analyze(jdbc, model.tables());
                return null;
            });
            log.info("Rebuild of {}: {} events built into {} in {} s; pausing the processor to catch up",
                    model.name(), built.events(), staging, seconds(started));
            long pauseStarted = System.nanoTime();
            processor.shutDown();
            paused = true;
            long caughtUp = catchUp(model, staging, prefix);
            swap(model, live, staging);
            model.replaced();
            if (wasRunning) {
                processor.start();
            }
            paused = false;
            long pausedMillis = Duration.ofNanos(System.nanoTime() - pauseStarted).toMillis();
            new JdbcTemplate(database.dataSource()).execute("DROP SCHEMA " + Schemas.quoted(staging) + " CASCADE");
            double seconds = seconds(started);
            log.info("Rebuild of {} done: {} events in {} s, processor paused {} ms", model.name(),
                    built.events() + caughtUp, seconds, pausedMillis);
            return new Status(model.name(), "completed", startedAt, Instant.now(), built.events() + caughtUp,
                    seconds, (built.events() + caughtUp) / Math.max(seconds, 1e-9), pausedMillis, caughtUp,
                    built.rows(), built.millis(), null);
        } catch (RuntimeException | java.sql.SQLException failure) {
            log.error("Rebuild of {} failed; the live view is unchanged", model.name(), failure);
            if (paused && wasRunning) {
                processor.start();
            }
            try {
                new JdbcTemplate(database.dataSource()).execute("DROP SCHEMA IF EXISTS " + Schemas.quoted(staging)
                        + " CASCADE");
            } catch (RuntimeException cleanup) {
                log.warn("Could not drop {}: {}", staging, cleanup.toString());
            }
            return new Status(model.name(), "failed", startedAt, Instant.now(), null, seconds(started), null, null,
                    null, null, null, String.valueOf(failure.getMessage()));
        }
    }

    /**
     * With the processor paused: the events the live view took since the build's prefix (every one up to its new
     * prefix, and those waiting above it) go into the staging tables with the live code, and the staging position
     * becomes the live one — the token the processor resumes from.
     */
    private long catchUp(ReadModel model, String staging, long builtUpTo) throws java.sql.SQLException {
        JdbcTemplate live = database.jdbc();
        long prefix = ProjectionPosition.of(live, model.name()).map(ProjectionPosition.Position::globalSequence)
                .orElse(0L);
        List<Long> pending = live.queryForList("SELECT global_sequence FROM projection_pending WHERE projection = ?",
                Long.class, model.name());
        List<Object[]> position = live.query("SELECT * FROM projection_position WHERE projection = ?",
                (rs, row) -> new Object[] {rs.getString("projection"), rs.getLong("global_sequence"),
                        rs.getObject("event_time"), rs.getLong("complete_sequence")}, model.name());
        List<Object[]> waiting = live.query("SELECT * FROM projection_pending WHERE projection = ?",
                (rs, row) -> new Object[] {rs.getString("projection"), rs.getLong("global_sequence"),
                        rs.getObject("previous_sequence")}, model.name());
        long[] applied = {0};
        inSchema(staging, jdbc -> {
            try {
                store.read(new EventStore.Selection(builtUpTo, prefix, pending.stream()
                        .filter(sequence -> sequence > prefix).toList()), CATCH_UP_CHUNK, chunk -> {
                            model.apply(jdbc, chunk);
                            applied[0] += chunk.size();
                        });
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException("the catch-up could not read the event store", e);
            }
            jdbc.update("DELETE FROM projection_position WHERE projection = ?", model.name());
            jdbc.update("DELETE FROM projection_pending WHERE projection = ?", model.name());
            jdbc.batchUpdate("INSERT INTO projection_position (projection, global_sequence, event_time, "
                    + "complete_sequence) VALUES (?, ?, ?, ?)", position);
            jdbc.batchUpdate("INSERT INTO projection_pending (projection, global_sequence, previous_sequence) "
                    + "VALUES (?, ?, ?)", waiting);
            return null;
        });
        return applied[0];
    }

    /** In one transaction: the live tables go, the staging tables take their place (and their names). */
    private void swap(ReadModel model, String live, String staging) {
        new TransactionTemplate(database.transactions()).executeWithoutResult(transaction -> {
            JdbcTemplate jdbc = database.jdbc();
            List<String> tables = model.tables();
            List<String> drops = new ArrayList<>();
            for (String table : tables) {
                drops.add(Schemas.quoted(live) + "." + table);
            }
            // Dropping a partitioned table drops its partitions; the staging partitions move one by one.
            jdbc.execute("DROP TABLE " + String.join(", ", drops) + " CASCADE");
            List<String> moving = new ArrayList<>(tables);
            Projections.ACTIVITY_VIEW_PARTITIONS.stream().filter(partition -> tables.contains(partition[1]))
                    .forEach(partition -> moving.add(partition[0]));
            for (String table : moving) {
                jdbc.execute("ALTER TABLE " + Schemas.quoted(staging) + "." + table + " SET SCHEMA "
                        + Schemas.quoted(live));
            }
            jdbc.update("DELETE FROM " + Schemas.quoted(live) + ".projection_position WHERE projection = ?",
                    model.name());
            jdbc.update("DELETE FROM " + Schemas.quoted(live) + ".projection_pending WHERE projection = ?",
                    model.name());
            jdbc.update("INSERT INTO " + Schemas.quoted(live) + ".projection_position SELECT * FROM "
                    + Schemas.quoted(staging) + ".projection_position WHERE projection = ?", model.name());
            jdbc.update("INSERT INTO " + Schemas.quoted(live) + ".projection_pending SELECT * FROM "
                    + Schemas.quoted(staging) + ".projection_pending WHERE projection = ?", model.name());
        });
    }

    private interface InSchema<T> {
        T run(JdbcTemplate jdbc) throws java.sql.SQLException;
    }

    /** Runs work in one transaction of the projection pool with the schema first on the search path. */
    private <T> T inSchema(String schema, InSchema<T> work) {
        return new TransactionTemplate(database.transactions()).execute(transaction -> {
            JdbcTemplate jdbc = database.jdbc();
            jdbc.queryForObject("SELECT set_config('search_path', ?, true)", String.class,
                    Schemas.quoted(schema));
            try {
                return work.run(jdbc);
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
    }

    private ReadModel model(String name) {
        return models.stream().filter(model -> model.name().equals(name)).findFirst()
                .orElseThrow(() -> new NotFound("rebuildable projection", name));
    }

    private static double seconds(long started) {
        return (System.nanoTime() - started) / 1e9;
    }
}
