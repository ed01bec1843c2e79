package org.convergenceledger.query.convergence;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import org.convergenceledger.query.projection.Stamp;
import org.convergenceledger.query.system.Sql;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * activity_scope's rows, held in memory by cell: the segments that may pair with a new one are found here in
 * microseconds instead of by an index walk of the cell (hundreds of milliseconds a batch at 100,000 activities, where
 * one cell holds thousands of segments). The projection is the only writer of those rows: the index changes only once
 * a batch has committed, and is read again from the database whenever the projection's stored position is not the one
 * it last saw (another instance applied batches, the view was reset or rebuilt).
 */
@Component
public class CellIndex {

    private static final Logger log = LoggerFactory.getLogger(CellIndex.class);

    /** One occupying segment in one cell. Its end is set once, when the segment is closed. */
    static final class Entry {
        final String activityId;
        final int segment;
        final String leadAgency;
        final LocalDate start;
        final LocalDate end;
        final Instant recordedFrom;
        final Instant occurredFrom;
        Instant recordedTo;
        Instant occurredTo;

        Entry(String activityId, int segment, String leadAgency, LocalDate start, LocalDate end, Instant recordedFrom,
              Instant occurredFrom, Instant recordedTo, Instant occurredTo) {
            this.activityId = activityId;
            this.segment = segment;
            this.leadAgency = leadAgency;
            this.start = start;
            this.end = end;
            this.recordedFrom = recordedFrom;
            this.occurredFrom = occurredFrom;
            this.recordedTo = recordedTo;
            this.occurredTo = occurredTo;
        }

        /** Closed at or before the point on both time lines: it cannot coexist with a segment starting there. */
        boolean endedBy(Instant recorded, Instant occurred) {
            Instant r = recordedFrom.isAfter(recorded) ? recordedFrom : recorded;
            Instant o = occurredFrom.isAfter(occurred) ? occurredFrom : occurred;
            return recordedTo != null && !recordedTo.isAfter(r) && !occurredTo.isAfter(o);
        }
    }

    /**
     * One lead agency's segments in one cell, by start day, with the longest period among them: the segments
     * overlapping a period start after (its start − the longest period) and no later than its end. Keyed by day, not
     * kept as one sorted list: thousands of segments may share a start day, and a list insert would walk them all.
     */
    static final class Lane {
        private final NavigableMap<LocalDate, List<Entry>> byStart = new TreeMap<>();
        private long longestDays;

        void add(Entry entry) {
            byStart.computeIfAbsent(entry.start, day -> new ArrayList<>(1)).add(entry);
            longestDays = Math.max(longestDays, entry.end.toEpochDay() - entry.start.toEpochDay());
        }

        /** Every entry whose period may overlap [start, end]: it starts no later than the end, and not so early that
         * even the longest period would end before the start. */
        Iterable<List<Entry>> mayOverlap(LocalDate start, LocalDate end) {
            LocalDate earliest = start.minusDays(longestDays);
            if (earliest.isAfter(end)) {
                return List.of();
            }
            return byStart.subMap(earliest, true, end, true).values();
        }
    }

    private Map<String, Map<String, Lane>> cells;
    private Map<ConvergenceTables.SegmentRef, List<Entry>> bySegment;
    private String position;

    /**
     * The stored segments that may pair with one the batch started, as ConvergenceTables.candidates finds them in the
     * database: sharing a cell, of another lead agency, with an overlapping period, not ended before the new one
     * began. Null when the index does not know the stored state at the given position: then ask the database.
     */
    synchronized Set<ConvergenceTables.SegmentRef> candidates(JdbcTemplate jdbc, String storedPosition,
                                                                List<Segment> started) {
        if (cells == null || !storedPosition.equals(position)) {
            load(jdbc, storedPosition);
        }
        Set<ConvergenceTables.SegmentRef> found = new java.util.LinkedHashSet<>();
        for (Segment segment : started) {
            ActivityScope footprint = segment.footprint();
            if (!footprint.occupying()) {
                continue;
            }
            for (String cell : ConvergenceTables.cells(footprint)) {
                for (Map.Entry<String, Lane> lane : cells.getOrDefault(cell, Map.of()).entrySet()) {
                    if (lane.getKey().equals(footprint.leadAgency())) {
                        continue;
                    }
                    for (List<Entry> sameStart : lane.getValue().mayOverlap(footprint.start(), footprint.end())) {
                        for (Entry entry : sameStart) {
                            if (!entry.end.isBefore(footprint.start())
                                    && !entry.endedBy(segment.from().recorded(), segment.from().occurred())) {
                                found.add(new ConvergenceTables.SegmentRef(entry.activityId, entry.segment));
                            }
                        }
                    }
                }
            }
        }
        return found;
    }

    /**
     * After a batch's commit: its segments and their cells are in, the segments it closed are closed, and the index
     * knows the stored state at the batch's new position — if it knew it at the position the batch started from.
     */
    public synchronized void committed(String positionBefore, ConvergenceTables.Outcome batch, String positionAfter) {
        if (cells == null) {
            return;
        }
        if (!positionBefore.equals(position)) {
            forget();
            return;
        }
        List<Segment> started = batch.started();
        Map<ConvergenceTables.SegmentRef, Stamp> closed = batch.closed();
        closed.forEach((ref, end) -> bySegment.getOrDefault(ref, List.of()).forEach(entry -> {
            entry.recordedTo = end.recorded();
            entry.occurredTo = end.occurred();
        }));
        for (Segment segment : started) {
            ActivityScope footprint = segment.footprint();
            if (!footprint.occupying()) {
                continue;
            }
            for (String cell : ConvergenceTables.cells(footprint)) {
                add(cell, new Entry(segment.activityId(), segment.number(), footprint.leadAgency(), footprint.start(),
                        footprint.end(), segment.from().recorded(), segment.from().occurred(),
                        segment.to() == null ? null : segment.to().recorded(),
                        segment.to() == null ? null : segment.to().occurred()));
            }
        }
        position = positionAfter;
    }

    /** The stored rows changed under it (a reset, a rebuild's swap): read them again before the next batch. */
    public synchronized void forget() {
        cells = null;
        bySegment = null;
        position = null;
    }

    private void load(JdbcTemplate jdbc, String storedPosition) {
        long started = System.nanoTime();
        cells = new HashMap<>();
        bySegment = new HashMap<>();
        jdbc.query("""
                SELECT activity_id, segment, axis, region, target_group, lead_agency, period_start, period_end,
                       recorded_from, occurred_from, recorded_to, occurred_to FROM activity_scope
                """, row -> {
                    add(row.getString(3) + "|" + row.getString(4) + "|" + row.getString(5), new Entry(
                            row.getString(1), row.getInt(2), row.getString(6).intern(),
                            row.getObject(7, LocalDate.class), row.getObject(8, LocalDate.class),
                            row.getObject(9, OffsetDateTime.class).toInstant(),
                            row.getObject(10, OffsetDateTime.class).toInstant(), Sql.instantOrNull(row, "recorded_to"),
                            Sql.instantOrNull(row, "occurred_to")));
                });
        position = storedPosition;
        log.info("Cell index read from activity_scope: {} cells, {} segments in {} ms", cells.size(),
                bySegment.size(), (System.nanoTime() - started) / 1_000_000);
    }

    private void add(String cell, Entry entry) {
        cells.computeIfAbsent(cell, c -> new HashMap<>()).computeIfAbsent(entry.leadAgency, lead -> new Lane())
                .add(entry);
        bySegment.computeIfAbsent(new ConvergenceTables.SegmentRef(entry.activityId, entry.segment),
                ref -> new ArrayList<>(1)).add(entry);
    }
}
