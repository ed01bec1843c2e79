package org.convergenceledger.query.system;

import java.time.Instant;
import java.util.Map;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Rebuilds a projection from scratch: its processor stops, its token goes back to the start of ledger.events, its
 * tables are emptied by the processor's reset handler, and it replays every event. Reads stay available meanwhile
 * and show the projection as far as the replay has come (asOfSequence says how far).
 */
@RestController
public class ProjectionRebuild {

    private static final Logger log = LoggerFactory.getLogger(ProjectionRebuild.class);

    private final EventProcessingConfiguration processing;
    private final JdbcTemplate jdbc;

    ProjectionRebuild(EventProcessingConfiguration processing, JdbcTemplate jdbc) {
        this.processing = processing;
        this.jdbc = jdbc;
    }

    @PostMapping("/api/admin/projections/{name}/rebuild")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Map<String, Object> rebuild(@PathVariable String name) {
        if (!Projections.ACTIVITY_VIEW.equals(name)) {
            throw new NotFound("rebuildable projection", name);
        }
        StreamingEventProcessor processor = processing.eventProcessor(name, StreamingEventProcessor.class)
                .orElseThrow(() -> new NotFound("projection", name));
        processor.shutDown();
        processor.resetTokens();
        processor.start();
        log.info("Projection {} reset: replaying ledger.events from the start", name);
        return Map.of("projection", name, "resetAt", Instant.now().toString());
    }

    /** Called by the processor's reset handler, inside the reset: a replay starts from empty tables. */
    public void emptyTablesOf(String projection) {
        if (!Projections.ACTIVITY_VIEW.equals(projection)) {
            throw new IllegalArgumentException("no table list for " + projection);
        }
        jdbc.execute("TRUNCATE " + String.join(", ", Projections.ACTIVITY_VIEW_TABLES));
        jdbc.update("DELETE FROM projection_position WHERE projection = ?", projection);
        jdbc.update("DELETE FROM projection_pending WHERE projection = ?", projection);
    }
}
