package org.convergenceledger.query.activity;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.convergenceledger.events.activity.ActivityEvent;
import org.convergenceledger.events.agency.AgencyRegistered;
import org.convergenceledger.events.axis.AxisDefined;
import org.convergenceledger.events.coordination.DuplicationDecided;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.convergenceledger.query.convergence.ActivityChange;
import org.convergenceledger.query.convergence.CellIndex;
import org.convergenceledger.query.convergence.ConvergenceChanges;
import org.convergenceledger.query.convergence.ConvergenceTables;
import org.convergenceledger.query.convergence.Decisions;
import org.convergenceledger.query.projection.Moment;
import org.convergenceledger.query.projection.BatchTimer;
import org.convergenceledger.query.projection.Batches;
import org.convergenceledger.query.projection.BulkTarget;
import org.convergenceledger.query.projection.EventStore;
import org.convergenceledger.query.projection.LedgerEnvelope;
import org.convergenceledger.query.projection.ProjectionPosition;
import org.convergenceledger.query.projection.Projections;
import org.convergenceledger.query.projection.ReadModel;
import org.convergenceledger.query.projection.Recorded;
import org.convergenceledger.query.system.ProjectionDatabase;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The activity-view read model: the activities, the registered agencies and axes, and the convergence view over them
 * (counters, footprint segments, pairs, the coordinators' decisions on pairs) with its history. A processor batch is
 * applied whole, just before it commits with the token: the batch's activities are read at once, its events folded
 * in memory ({@link ActivityFold}), then every table is written once.
 */
@Component
@ProcessingGroup(Projections.ACTIVITY_VIEW)
class ActivityViewProjection implements ReadModel {

    private final JdbcTemplate jdbc;
    private final ConvergenceChanges changes;
    private final CellIndex cells;

    ActivityViewProjection(ProjectionDatabase database, ConvergenceChanges changes, CellIndex cells) {
        this.jdbc = database.jdbc();
        this.changes = changes;
        this.cells = cells;
    }

    @EventHandler
    void on(Object event, EventMessage<?> message) {
        Batches.collect(Projections.ACTIVITY_VIEW, message, event, batch -> {
            String before = storedPosition(jdbc);
            Applied applied = applyBatch(jdbc, batch, cells, before);
            String after = storedPosition(jdbc);
            Runnable committed = () -> cells.committed(before, applied.footprints(), after);
            if (CurrentUnitOfWork.isStarted()) {
                CurrentUnitOfWork.get().root().afterCommit(unitOfWork -> committed.run());
            } else {
                committed.run();
            }
            if (!applied.activities().isEmpty()) {
                changes.record(applied.activities(), applied.footprints().pairsChanged());
            }
        });
    }

    private static String storedPosition(JdbcTemplate jdbc) {
        return ProjectionPosition.of(jdbc, Projections.ACTIVITY_VIEW)
                .map(at -> at.globalSequence() + "/" + at.furthestSequence()).orElse("none");
    }

    /** The view's tables were replaced under the processor (a rebuild's swap): what it keeps in memory goes. */
    @Override
    public void replaced() {
        cells.forget();
    }

    @Override
    public String name() {
        return Projections.ACTIVITY_VIEW;
    }

    @Override
    public List<String> tables() {
        return Projections.ACTIVITY_VIEW_TABLES;
    }

    @Override
    public Built build(BulkTarget target, EventStore store, EventStore.Selection selection, Moment limit)
            throws SQLException {
        return ViewBuild.build(target, store, selection, limit);
    }

    /** A staging schema's tables: the cell index is the live tables', so the stored cells are searched with SQL. */
    @Override
    public void apply(JdbcTemplate target, List<Recorded> batch) {
        applyBatch(target, batch, null, null);
    }

    /** A replay from the start of the topic starts from nothing: every table of the read model is emptied. */
    @ResetHandler
    void reset() {
        Projections.empty(jdbc, Projections.ACTIVITY_VIEW);
        cells.forget();
    }

    private record Applied(List<ActivityChange> activities, ConvergenceTables.Outcome footprints) {
    }

    /** Applies a batch to the tables of the template's connection; returns what it did to the activities. */
    private static Applied applyBatch(JdbcTemplate jdbc, List<Recorded> batch, CellIndex cells,
                                      String storedPosition) {
        BatchTimer timer = BatchTimer.start(Projections.ACTIVITY_VIEW, batch.size(),
                batch.isEmpty() ? null : batch.get(0).envelope().recordedAt());
        Set<String> ids = new LinkedHashSet<>();
        List<Object[]> agencies = new ArrayList<>();
        List<Object[]> axes = new ArrayList<>();
        List<Object[]> decisions = new ArrayList<>();
        List<LedgerEnvelope> envelopes = new ArrayList<>(batch.size());
        for (Recorded recorded : batch) {
            envelopes.add(recorded.envelope());
            if (recorded.payload() instanceof ActivityEvent event) {
                ids.add(event.activityId());
            } else if (recorded.payload() instanceof AgencyRegistered agency) {
                agencies.add(Registry.agency(agency, recorded.envelope()));
            } else if (recorded.payload() instanceof AxisDefined axis) {
                axes.add(Registry.axis(axis, recorded.envelope()));
            } else if (recorded.payload() instanceof DuplicationDecided decided) {
                decisions.add(Decisions.row(decided, recorded.envelope()));
            }
        }
        Registry.write(jdbc, agencies, axes);
        Decisions.write(jdbc, decisions);
        List<ActivityChange> changed = List.of();
        ConvergenceTables.Outcome footprints = ConvergenceTables.Outcome.NOTHING;
        if (!ids.isEmpty()) {
            var known = ActivityViewTables.load(jdbc, List.copyOf(ids));
            timer.lap("load");
            List<ActivityFold.Folded> folded = ActivityFold.fold(known, batch);
            timer.lap("fold");
            ActivityViewTables.write(jdbc, folded);
            timer.lap("activity tables");
            changed = folded.stream().map(ActivityFold.Folded::change).toList();
            footprints = ConvergenceTables.apply(jdbc, changed, timer, cells, storedPosition);
        }
        ProjectionPosition.advance(jdbc, Projections.ACTIVITY_VIEW, envelopes);
        timer.lap("position");
        timer.done();
        return new Applied(changed, footprints);
    }
}
