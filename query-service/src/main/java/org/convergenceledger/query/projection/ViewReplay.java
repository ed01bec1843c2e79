package org.convergenceledger.query.projection;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Function;
import org.convergenceledger.query.system.ScanDatabase;
import org.convergenceledger.query.system.Sql;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Component;

/**
 * An auditor's second opinion: the read model built again from the event store (never from Kafka, never from the live
 * tables) into session-private copies of its tables, with the bulk build, and the given reads run on them. Everything
 * is rolled back afterwards. It runs as a scan: a few at a time, past that 429.
 */
@Component
public class ViewReplay {

    /** What the reads returned on the replayed tables, and what the build did. */
    public record Replayed<T>(T result, ReadModel.Built built) {
    }

    private final ScanDatabase scans;
    private final EventStore store;

    ViewReplay(ScanDatabase scans, EventStore store) {
        this.scans = scans;
        this.store = store;
    }

    public <T> Replayed<T> replay(ReadModel model, String what, EventStore.Selection selection, Moment limit,
                                  Function<NamedParameterJdbcTemplate, T> reads) {
        store.require();
        return scans.scratch(what, named -> {
            JdbcTemplate jdbc = named.getJdbcTemplate();
            Schemas.shadow(jdbc, model.tables());
            Connection connection = DataSourceUtils.getConnection(scans.dataSource());
            ReadModel.Built built;
            try {
                built = model.build(BulkTarget.on(connection), store, selection, limit);
            } catch (SQLException e) {
                throw new IllegalStateException("the replay could not load its tables: " + e.getMessage(), e);
            }
            Schemas.analyze(jdbc, model.tables());
            if (built.lastRecordedAt() != null) {
                jdbc.update("""
                        INSERT INTO projection_position (projection, global_sequence, event_time, complete_sequence)
                        VALUES (?, ?, ?, ?)
                        """, model.name(), built.lastSequence(), Sql.timestamptz(built.lastRecordedAt()), built.lastSequence());
            }
            return new Replayed<>(reads.apply(named), built);
        });
    }
}
