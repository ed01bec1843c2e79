package org.convergenceledger.query.activity;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.convergenceledger.events.activity.ActivityEvent;
import org.convergenceledger.events.agency.AgencyRegistered;
import org.convergenceledger.events.axis.AxisDefined;
import org.convergenceledger.events.coordination.DuplicationDecided;
import org.convergenceledger.query.convergence.ConvergenceTables;
import org.convergenceledger.query.convergence.Decisions;
import org.convergenceledger.query.projection.Moment;
import org.convergenceledger.query.convergence.Segment;
import org.convergenceledger.query.projection.Stamp;
import org.convergenceledger.query.projection.BulkTarget;
import org.convergenceledger.query.projection.EventStore;
import org.convergenceledger.query.projection.LedgerEnvelope;
import org.convergenceledger.query.projection.Projections;
import org.convergenceledger.query.projection.ReadModel;
import org.convergenceledger.query.projection.Recorded;
import org.convergenceledger.query.projection.TableRows;

/**
 * Builds the activity-view read model from scratch, straight from the event store: the events are folded in memory
 * with the live projection's own code ({@link ActivityFold}), each table is then loaded with one COPY, and the pairs
 * are found once, at the end, over every segment. The tables are those the connection's search path finds first: a
 * fresh schema, a rebuild's staging schema, or session-private copies for an auditor's replay.
 */
public final class ViewBuild {

    private static final int CHUNK = 5_000;

    private final Map<String, Tracked> states = new HashMap<>();
    private final Map<String, ActivityFold.VersionRow> openVersions = new HashMap<>();
    private final Map<String, Segment> openSegments = new HashMap<>();
    private final List<Segment> closedSegments = new ArrayList<>();
    private final List<Object[]> closedVersions = new ArrayList<>();
    private final Map<String, Object[]> agencies = new TreeMap<>();
    private final Map<String, Object[]> axes = new TreeMap<>();
    private final Map<String, Object[]> decisions = new TreeMap<>();
    private final Moment limit;
    private final Map<String, Stamp> limitStamps = new HashMap<>();
    private long events;
    private long lastSequence;
    private Instant lastRecordedAt;

    private ViewBuild(Moment limit) {
        this.limit = limit;
    }

    /**
     * @param limit the moment to build the view at: live for everything selected; otherwise only what was recorded by
     *              knownAt and, per activity, its events up to the first that had not happened by validAt
     */
    public static ReadModel.Built build(BulkTarget target, EventStore store, EventStore.Selection selection,
                                       Moment limit) throws SQLException {
        ViewBuild build = new ViewBuild(limit);
        long started = System.nanoTime();
        store.read(selection, CHUNK, build::fold);
        build.millis.put("read and fold", (System.nanoTime() - started) / 1_000_000);
        build.lap = System.nanoTime();
        target.load(Projections.ACTIVITY_VIEW_TABLES, build.loads());
        build.lap("load and index");
        return new ReadModel.Built(build.events, build.lastSequence, build.lastRecordedAt, build.rows, build.millis);
    }

    private final Map<String, Long> millis = new LinkedHashMap<>();
    private long lap = System.nanoTime();

    private void lap(String phase) {
        long now = System.nanoTime();
        millis.merge(phase, (now - lap) / 1_000_000, Long::sum);
        lap = now;
    }

    private void fold(List<Recorded> chunk) {
        List<Recorded> taken = limit.live() ? chunk : within(chunk);
        for (Recorded recorded : taken) {
            LedgerEnvelope envelope = recorded.envelope();
            if (recorded.payload() instanceof AgencyRegistered agency) {
                agencies.merge(agency.agencyCode(), Registry.agency(agency, envelope), ViewBuild::later);
            } else if (recorded.payload() instanceof AxisDefined axis) {
                axes.merge(axis.axisCode(), Registry.axis(axis, envelope), ViewBuild::later);
            } else if (recorded.payload() instanceof DuplicationDecided decided) {
                // Keyed as the table is: an event read twice is one row.
                decisions.put(decided.pairId() + "#" + envelope.aggregateSequence(), Decisions.row(decided, envelope));
            }
            events++;
            lastSequence = Math.max(lastSequence, envelope.globalSequence());
            lastRecordedAt = envelope.recordedAt();
        }
        for (ActivityFold.Folded folded : ActivityFold.fold(states, taken)) {
            ActivityFold.VersionRow open = openVersions.get(folded.id());
            if (open != null) {
                closedVersions.add(ActivityRows.version(new ActivityFold.VersionRow(open.view(), open.from(),
                        folded.versions().get(0).from())));
            }
            List<ActivityFold.VersionRow> versions = folded.versions();
            for (int i = 0; i < versions.size() - 1; i++) {
                closedVersions.add(ActivityRows.version(versions.get(i)));
            }
            openVersions.put(folded.id(), versions.get(versions.size() - 1));
            List<Segment> segments = folded.segments();
            if (!segments.isEmpty()) {
                Segment previous = openSegments.get(folded.id());
                if (previous != null) {
                    closedSegments.add(previous.closedAt(segments.get(0).from()));
                }
                closedSegments.addAll(segments.subList(0, segments.size() - 1));
                openSegments.put(folded.id(), segments.get(segments.size() - 1));
            }
            states.put(folded.id(), folded.after());
        }
    }

    /** The events of the chunk that the view at the limit holds (see {@link ActivityAsOf}: the same rule). */
    private List<Recorded> within(List<Recorded> chunk) {
        Instant knownAt = limit.knownAt() != null ? limit.knownAt() : Instant.MAX;
        Instant validAt = limit.validAt() != null ? limit.validAt() : Instant.MAX;
        List<Recorded> taken = new ArrayList<>(chunk.size());
        for (Recorded recorded : chunk) {
            LedgerEnvelope envelope = recorded.envelope();
            Instant recordedAt = ActivityFold.micros(envelope.recordedAt());
            if (!(recorded.payload() instanceof ActivityEvent event)) {
                if (!recordedAt.isAfter(knownAt)) {
                    taken.add(recorded);
                }
                continue;
            }
            String id = event.activityId();
            if (limitStamps.containsKey(id) && limitStamps.get(id) == null) {
                continue;
            }
            Instant occurredAt = ActivityFold.micros(envelope.occurredOrRecorded());
            Stamp previous = limitStamps.get(id);
            Stamp stamp = previous == null ? new Stamp(recordedAt, occurredAt) : previous.then(recordedAt, occurredAt);
            if (stamp.reachedBy(knownAt, validAt)) {
                limitStamps.put(id, stamp);
                taken.add(recorded);
            } else {
                // The activity's facts in their order: the first one beyond the limit ends its history here.
                limitStamps.put(id, null);
            }
        }
        return taken;
    }

    private final Map<String, Long> rows = new java.util.concurrent.ConcurrentHashMap<>();

    /** The tables' loads: each builds its rows and COPYs them, so that loads running side by side share the work. */
    private List<BulkTarget.Load> loads() {
        List<Tracked> current = new ArrayList<>(states.values());
        List<Segment> segments = new ArrayList<>(closedSegments);
        segments.addAll(openSegments.values());
        return List.of(
                connection -> {
                    List<Object[]> versions = new ArrayList<>(closedVersions.size() + openVersions.size());
                    versions.addAll(closedVersions);
                    openVersions.values().forEach(version -> versions.add(ActivityRows.version(version)));
                    rows.put(ActivityRows.VERSION.name(), TableRows.copy(connection, ActivityRows.VERSION, versions));
                },
                connection -> {
                    List<Object[]> views = new ArrayList<>(current.size());
                    List<Object[]> partners = new ArrayList<>();
                    for (Tracked tracked : current) {
                        views.add(ActivityRows.view(tracked));
                        partners.addAll(ActivityRows.partners(tracked.view()));
                    }
                    rows.put(ActivityRows.VIEW.name(), TableRows.copy(connection, ActivityRows.VIEW, views));
                    rows.put(ActivityRows.PARTNER.name(), TableRows.copy(connection, ActivityRows.PARTNER, partners));
                },
                connection -> rows.putAll(ConvergenceTables.copySegments(connection, segments)),
                connection -> rows.putAll(ConvergenceTables.copyPairs(connection, segments)),
                connection -> rows.putAll(ConvergenceTables.copyCounters(connection,
                        // An activity that moved contributes under its new identifier only (null here).
                        current.stream().map(tracked -> tracked.view().contribution())
                                .filter(java.util.Objects::nonNull).toList())),
                connection -> {
                    rows.put(Registry.AGENCY.name(), TableRows.copy(connection, Registry.AGENCY, agencies.values()));
                    rows.put(Registry.AXIS.name(), TableRows.copy(connection, Registry.AXIS, axes.values()));
                    rows.put(Decisions.DECISION.name(), TableRows.copy(connection, Decisions.DECISION,
                            decisions.values()));
                });
    }

    // A registration seen again keeps the later event's row, as the live upsert does.
    private static Object[] later(Object[] kept, Object[] other) {
        return (long) other[4] >= (long) kept[4] ? other : kept;
    }
}
