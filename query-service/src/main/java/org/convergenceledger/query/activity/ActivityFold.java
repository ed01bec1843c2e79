package org.convergenceledger.query.activity;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.convergenceledger.events.activity.ActivityEvent;
import org.convergenceledger.events.activity.ActivityMovedIn;
import org.convergenceledger.events.activity.ActivityProposed;
import org.convergenceledger.query.convergence.ActivityChange;
import org.convergenceledger.query.convergence.ActivityScope;
import org.convergenceledger.query.convergence.Segment;
import org.convergenceledger.query.projection.Stamp;
import org.convergenceledger.query.projection.LedgerEnvelope;
import org.convergenceledger.query.projection.Recorded;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds a batch of events into the activities they concern, in memory and in order: every new event of an activity
 * makes one version of it (stamped on both time lines), and every change of its footprint starts a segment. Kafka
 * delivers at least once, so an event at or below the version already reached is skipped; a whole batch delivered
 * again changes nothing. The live projection and the rebuild fold with this same code.
 */
final class ActivityFold {

    private static final Logger log = LoggerFactory.getLogger(ActivityFold.class);

    /** One version of an activity: the view after one event, from its stamp to the next version's (null: current). */
    record VersionRow(ActivityView view, Stamp from, Stamp to) {
    }

    /**
     * What a batch did to one activity.
     *
     * @param before   its state before the batch, null when the batch proposed it
     * @param versions the versions the batch made, in order (never empty)
     * @param segments the footprint segments the batch started, in order (possibly empty)
     * @param after    its state after the batch
     */
    record Folded(String id, Tracked before, List<VersionRow> versions, List<Segment> segments, Tracked after) {

        boolean partnersChanged() {
            return before == null || !before.view().sortedPartners().equals(after.view().sortedPartners());
        }

        ActivityChange change() {
            boolean newSegment = before != null && !segments.isEmpty();
            return new ActivityChange(id, before == null ? null : before.view().contribution(),
                    after.view().contribution(), newSegment ? before.segment() : null,
                    newSegment ? segments.get(0).from() : null, segments);
        }
    }

    private static final class Building {
        final Tracked before;
        final List<ActivityView> views = new ArrayList<>();
        final List<Stamp> stamps = new ArrayList<>();
        final List<ActivityScope> footprints = new ArrayList<>();
        final List<Integer> numbers = new ArrayList<>();
        final List<Stamp> segmentStarts = new ArrayList<>();
        Tracked current;

        Building(Tracked before) {
            this.before = before;
            this.current = before;
        }

        void add(ActivityView view, Stamp stamp) {
            ActivityScope footprint = view.scope();
            if (current == null || !footprint.equals(current.view().scope())) {
                int number = current == null ? 0 : current.segment() + 1;
                footprints.add(footprint);
                numbers.add(number);
                segmentStarts.add(stamp);
                current = new Tracked(view, stamp, number);
            } else {
                current = new Tracked(view, stamp, current.segment());
            }
            views.add(view);
            stamps.add(stamp);
        }

        Folded build(String id) {
            List<VersionRow> versions = new ArrayList<>(views.size());
            for (int i = 0; i < views.size(); i++) {
                versions.add(new VersionRow(views.get(i), stamps.get(i), i + 1 < views.size() ? stamps.get(i + 1)
                        : null));
            }
            List<Segment> segments = new ArrayList<>(footprints.size());
            for (int i = 0; i < footprints.size(); i++) {
                segments.add(new Segment(footprints.get(i), numbers.get(i), segmentStarts.get(i),
                        i + 1 < footprints.size() ? segmentStarts.get(i + 1) : null));
            }
            return new Folded(id, before, versions, segments, current);
        }
    }

    private ActivityFold() {
    }

    /**
     * @param known  the activities' states before the batch, by id (those the batch does not find here are new)
     * @param events the batch's events, in the order delivered; events of other kinds are ignored
     * @return what changed, per activity, in the order the batch first touched them; activities whose events were
     *         all redeliveries are left out
     */
    static List<Folded> fold(Map<String, Tracked> known, List<Recorded> events) {
        Map<String, Building> building = new LinkedHashMap<>();
        for (Recorded recorded : events) {
            if (!(recorded.payload() instanceof ActivityEvent event)) {
                continue;
            }
            LedgerEnvelope envelope = recorded.envelope();
            if (!envelope.fromAggregate()) {
                throw new IllegalStateException("Activity event " + envelope.eventId() + " carries no aggregate id");
            }
            String id = event.activityId();
            Building activity = building.get(id);
            Tracked current = activity != null ? activity.current : known.get(id);
            Instant recordedAt = micros(envelope.recordedAt());
            Instant occurredAt = micros(envelope.occurredOrRecorded());
            ActivityView next;
            Stamp stamp;
            if (event instanceof ActivityProposed || event instanceof ActivityMovedIn) {
                if (current != null) {
                    continue;
                }
                next = ActivityView.first(event);
                stamp = new Stamp(recordedAt, occurredAt);
            } else {
                // Events of one activity share a partition, so its proposal always comes first; its absence is a fault.
                if (current == null) {
                    throw new IllegalStateException(event.getClass().getSimpleName() + " at global sequence "
                            + envelope.globalSequence() + " for unknown activity " + id);
                }
                if (current.view().alreadyApplied(envelope.aggregateSequence())) {
                    continue;
                }
                if (envelope.aggregateSequence() != current.view().version().sequence() + 1) {
                    log.warn("Activity {} jumps from version {} to {} at global sequence {}: events are missing", id,
                            current.view().version().sequence(), envelope.aggregateSequence(),
                            envelope.globalSequence());
                }
                next = current.view().then(event);
                stamp = current.stamp().then(recordedAt, occurredAt);
            }
            next = next.with(new ActivityView.Version(envelope.aggregateSequence(), envelope.globalSequence(),
                    recordedAt));
            if (activity == null) {
                activity = new Building(current);
                building.put(id, activity);
            }
            activity.add(next, stamp);
        }
        List<Folded> folded = new ArrayList<>(building.size());
        building.forEach((id, activity) -> folded.add(activity.build(id)));
        return folded;
    }

    // PostgreSQL keeps microseconds: stamps compared in memory and in SQL must be the same instants.
    static Instant micros(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }
}
