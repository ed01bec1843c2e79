package org.convergenceledger.query.convergence;

import org.convergenceledger.query.projection.Stamp;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.convergenceledger.query.projection.BatchTimer;
import org.convergenceledger.query.projection.TableRows;
import org.convergenceledger.query.system.Sql;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Keeps the convergence tables in step with a batch of activity changes, with one statement per table and batch:
 * the counters (a summed delta), the footprint segments and their cells, and the pairs — the stored segments that
 * share a cell with one the batch started are found in the in-memory {@link CellIndex} (for a staging schema, with
 * one query of those cells), judged by {@link PairRules}, and kept per pair of segments with both segments' time
 * ranges, so that the same rows answer the live view and the view at any past moment.
 */
public final class ConvergenceTables {

    private ConvergenceTables() {
    }

    /** What a batch did to the footprints: the segments it started and closed, and whether pairs may have changed. */
    public record Outcome(boolean pairsChanged, List<Segment> started, Map<SegmentRef, Stamp> closed) {

        public static final Outcome NOTHING = new Outcome(false, List.of(), Map.of());
    }

    /**
     * Applies a batch's activity changes.
     *
     * @param cells          the in-memory cell index, or null to search the stored cells with SQL (a staging schema)
     * @param storedPosition the projection's stored position when the batch began, for the index to know if it is
     *                       current
     */
    public static Outcome apply(JdbcTemplate jdbc, List<ActivityChange> batch, BatchTimer timer, CellIndex cells,
                                String storedPosition) {
        if (batch.isEmpty()) {
            return Outcome.NOTHING;
        }
        CounterDelta delta = new CounterDelta();
        batch.forEach(change -> delta.replace(change.before(), change.after()));
        timer.lap("counter delta");
        Counters.write(jdbc, delta);
        timer.lap("counters");

        Map<SegmentRef, Stamp> closed = new LinkedHashMap<>();
        List<Segment> started = new ArrayList<>();
        for (ActivityChange change : batch) {
            if (change.closedSegment() != null) {
                closed.put(new SegmentRef(change.activityId(), change.closedSegment()), change.closedAt());
            }
            started.addAll(change.started());
        }
        // Candidates are read before this batch's segments are written: the batch's own are paired in memory.
        List<Segment> candidates = cells == null ? candidates(jdbc, started, closed)
                : segments(jdbc, cells.candidates(jdbc, storedPosition, started), closed);
        timer.lap("candidates");
        List<PairRow> pairs = pairsOf(started, candidates);
        timer.lap("pairs");
        closeSegments(jdbc, closed);
        timer.lap("closes");
        int forgotten = forgetPairsThatNeverCoexisted(jdbc, closed);
        timer.lap("forget");
        insertSegments(jdbc, started);
        insertPairs(jdbc, pairs);
        timer.lap("segments and pairs");
        return new Outcome(!pairs.isEmpty() || forgotten > 0 || !closed.isEmpty(), started, closed);
    }

    /** The stored segments named, with the ends this batch gives some of them. */
    private static List<Segment> segments(JdbcTemplate jdbc, java.util.Set<SegmentRef> refs,
                                          Map<SegmentRef, Stamp> closed) {
        if (refs.isEmpty()) {
            return List.of();
        }
        List<Segment> found = jdbc.query("""
                SELECT g.activity_id, g.segment, g.lead_agency, g.axes, g.regions, g.target_groups,
                       g.partner_agencies, g.period_start, g.period_end, g.occupying,
                       g.recorded_from, g.occurred_from, g.recorded_to, g.occurred_to
                FROM unnest(?::text[], ?::text[]::int[]) AS c(activity_id, segment)
                JOIN activity_segment g ON g.activity_id = c.activity_id AND g.segment = c.segment
                """, (rs, row) -> segment(rs), TableRows.array(jdbc, refs.stream().map(SegmentRef::activityId).toList()),
                TableRows.array(jdbc, refs.stream().map(ref -> Integer.toString(ref.segment())).toList()));
        List<Segment> withEnds = new ArrayList<>(found.size());
        for (Segment segment : found) {
            Stamp end = closed.get(new SegmentRef(segment.activityId(), segment.number()));
            withEnds.add(end != null ? segment.closedAt(end) : segment);
        }
        return withEnds;
    }

    public record SegmentRef(String activityId, int segment) {
    }

    /** Two segments that make a likely duplication or joint work while both run. */
    record PairRow(PairRules.Pair pair, Segment a, Segment b) {
    }

    /**
     * The segments already stored that may pair with one the batch started: sharing a cell, of another lead agency,
     * with an overlapping period, still occupying, and not ended before the new one started. Segments this batch ends
     * are returned with their new end.
     */
    private static List<Segment> candidates(JdbcTemplate jdbc, List<Segment> started, Map<SegmentRef, Stamp> closed) {
        List<String[]> cells = new ArrayList<>();
        for (Segment segment : started) {
            ActivityScope footprint = segment.footprint();
            if (!footprint.occupying()) {
                continue;
            }
            for (String axis : footprint.axes()) {
                for (String region : footprint.regions()) {
                    for (String group : footprint.targetGroups()) {
                        cells.add(new String[] {axis, region, group, footprint.leadAgency(),
                                footprint.start().toString(), footprint.end().toString(),
                                segment.from().recorded().toString(), segment.from().occurred().toString()});
                    }
                }
            }
        }
        if (cells.isEmpty()) {
            return List.of();
        }
        List<Segment> found = jdbc.query(connection -> {
            var statement = connection.prepareStatement("""
                    SELECT g.activity_id, g.segment, g.lead_agency, g.axes, g.regions, g.target_groups,
                           g.partner_agencies, g.period_start, g.period_end, g.occupying,
                           g.recorded_from, g.occurred_from, g.recorded_to, g.occurred_to
                    FROM (SELECT DISTINCT s.activity_id, s.segment
                          FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[]::date[],
                                      ?::text[]::date[], ?::text[]::timestamptz[], ?::text[]::timestamptz[])
                               AS n(axis, region, target_group, lead_agency, period_start, period_end, recorded,
                                    occurred)
                          JOIN activity_scope s ON s.axis = n.axis AND s.region = n.region
                               AND s.target_group = n.target_group AND s.period_start <= n.period_end
                               AND s.period_end >= n.period_start AND s.lead_agency <> n.lead_agency
                               AND NOT (s.recorded_to <= greatest(n.recorded, s.recorded_from)
                                        AND s.occurred_to <= greatest(n.occurred, s.occurred_from))) c
                    JOIN activity_segment g ON g.activity_id = c.activity_id AND g.segment = c.segment
                    """);
            for (int column = 0; column < 8; column++) {
                final int index = column;
                statement.setArray(column + 1, connection.createArrayOf("text",
                        cells.stream().map(row -> row[index]).toArray()));
            }
            return statement;
        }, (rs, row) -> segment(rs));
        List<Segment> withEnds = new ArrayList<>(found.size());
        for (Segment segment : found) {
            Stamp end = closed.get(new SegmentRef(segment.activityId(), segment.number()));
            withEnds.add(end != null ? segment.closedAt(end) : segment);
        }
        return withEnds;
    }

    /**
     * The pairs of every started segment with the stored candidates and with the other started segments. Only
     * segments of different lead agencies can pair, so each cell's started segments are grouped by lead agency first:
     * a batch of thousands of one agency's look-alike activities costs no comparison among themselves.
     */
    static List<PairRow> pairsOf(List<Segment> started, List<Segment> candidates) {
        Map<String, PairRow> pairs = new LinkedHashMap<>();
        Map<String, Map<String, List<Segment>>> byCell = new HashMap<>();
        for (Segment segment : started) {
            if (!segment.footprint().occupying()) {
                continue;
            }
            for (String cell : cells(segment.footprint())) {
                byCell.computeIfAbsent(cell, c -> new LinkedHashMap<>())
                        .computeIfAbsent(segment.footprint().leadAgency(), lead -> new ArrayList<>()).add(segment);
            }
        }
        for (Segment candidate : candidates) {
            Set<Segment> seen = new HashSet<>();
            for (String cell : cells(candidate.footprint())) {
                for (Map.Entry<String, List<Segment>> lead : byCell.getOrDefault(cell, Map.of()).entrySet()) {
                    if (lead.getKey().equals(candidate.footprint().leadAgency())) {
                        continue;
                    }
                    for (Segment segment : lead.getValue()) {
                        if (seen.add(segment)) {
                            judge(segment, candidate, pairs);
                        }
                    }
                }
            }
        }
        for (Map<String, List<Segment>> leads : byCell.values()) {
            List<List<Segment>> groups = List.copyOf(leads.values());
            for (int i = 0; i < groups.size(); i++) {
                for (int j = i + 1; j < groups.size(); j++) {
                    for (Segment one : groups.get(i)) {
                        for (Segment other : groups.get(j)) {
                            judge(one, other, pairs);
                        }
                    }
                }
            }
        }
        return List.copyOf(pairs.values());
    }

    private static void judge(Segment one, Segment other, Map<String, PairRow> pairs) {
        if (one.activityId().equals(other.activityId()) || !one.coexistsWith(other)) {
            return;
        }
        PairRules.pair(one.footprint(), other.footprint()).ifPresent(pair -> {
            boolean oneFirst = pair.a().equals(one.activityId());
            Segment a = oneFirst ? one : other;
            Segment b = oneFirst ? other : one;
            pairs.putIfAbsent(a.activityId() + "#" + a.number() + "|" + b.activityId() + "#" + b.number(),
                    new PairRow(pair, a, b));
        });
    }

    static List<String> cells(ActivityScope footprint) {
        List<String> cells = new ArrayList<>();
        for (String axis : footprint.axes()) {
            for (String region : footprint.regions()) {
                for (String group : footprint.targetGroups()) {
                    cells.add(axis + "|" + region + "|" + group);
                }
            }
        }
        return cells;
    }

    private static void closeSegments(JdbcTemplate jdbc, Map<SegmentRef, Stamp> closed) {
        if (closed.isEmpty()) {
            return;
        }
        List<String> ids = new ArrayList<>();
        List<String> numbers = new ArrayList<>();
        List<String> recorded = new ArrayList<>();
        List<String> occurred = new ArrayList<>();
        closed.forEach((ref, end) -> {
            ids.add(ref.activityId());
            numbers.add(Integer.toString(ref.segment()));
            recorded.add(end.recorded().toString());
            occurred.add(end.occurred().toString());
        });
        Object[] ends = {TableRows.array(jdbc, ids), TableRows.array(jdbc, numbers), TableRows.array(jdbc, recorded),
                TableRows.array(jdbc, occurred)};
        String closing = " FROM unnest(?::text[], ?::text[]::int[], ?::text[]::timestamptz[], "
                + "?::text[]::timestamptz[]) AS c(activity_id, segment, recorded_to, occurred_to) WHERE ";
        jdbc.update("UPDATE activity_segment t SET recorded_to = c.recorded_to, occurred_to = c.occurred_to"
                + closing + "t.activity_id = c.activity_id AND t.segment = c.segment", ends);
        jdbc.update("UPDATE activity_scope t SET recorded_to = c.recorded_to, occurred_to = c.occurred_to"
                + closing + "t.activity_id = c.activity_id AND t.segment = c.segment", ends);
        jdbc.update("UPDATE convergence_pair t SET a_recorded_to = c.recorded_to, a_occurred_to = c.occurred_to"
                + closing + "t.activity_a = c.activity_id AND t.segment_a = c.segment", ends);
        jdbc.update("UPDATE convergence_pair t SET b_recorded_to = c.recorded_to, b_occurred_to = c.occurred_to"
                + closing + "t.activity_b = c.activity_id AND t.segment_b = c.segment", ends);
    }

    /**
     * A pair is kept for as long as some point of both time lines has both its segments running. When a batch ends a
     * segment, the pairs it had with segments that had not started by then (recorded later, but from other
     * partitions, or reported as having happened later) turn out never to have held: they go.
     */
    private static int forgetPairsThatNeverCoexisted(JdbcTemplate jdbc, Map<SegmentRef, Stamp> closed) {
        if (closed.isEmpty()) {
            return 0;
        }
        String neverBoth = """
                ((p.a_recorded_to <= greatest(p.a_recorded_from, p.b_recorded_from)
                  AND p.a_occurred_to <= greatest(p.a_occurred_from, p.b_occurred_from))
                 OR (p.b_recorded_to <= greatest(p.a_recorded_from, p.b_recorded_from)
                  AND p.b_occurred_to <= greatest(p.a_occurred_from, p.b_occurred_from)))""";
        int removed = 0;
        for (String side : List.of("a", "b")) {
            removed += jdbc.update(connection -> {
                var statement = connection.prepareStatement("DELETE FROM convergence_pair p USING unnest(?::text[], "
                        + "?::int[]) AS c(activity_id, segment) WHERE p.activity_" + side + " = c.activity_id AND "
                        + "p.segment_" + side + " = c.segment AND " + neverBoth);
                statement.setArray(1, connection.createArrayOf("text",
                        closed.keySet().stream().map(SegmentRef::activityId).toArray()));
                statement.setArray(2, connection.createArrayOf("integer",
                        closed.keySet().stream().map(SegmentRef::segment).toArray()));
                return statement;
            });
        }
        return removed;
    }

    private static void insertSegments(JdbcTemplate jdbc, List<Segment> started) {
        List<Object[]> segments = new ArrayList<>(started.size());
        List<Object[]> cells = new ArrayList<>();
        for (Segment segment : started) {
            segments.add(segmentRow(segment));
            cells.addAll(scopeRows(segment));
        }
        TableRows.copy(jdbc, SEGMENT, segments);
        TableRows.copy(jdbc, SCOPE, cells);
    }

    // A pair row is only ever made for a segment that is new in its batch: COPY, no conflict to expect.
    private static void insertPairs(JdbcTemplate jdbc, List<PairRow> pairs) {
        TableRows.copy(jdbc, PAIR, pairs.stream().map(ConvergenceTables::pairRow).toList());
    }

    // --- rows, shared by the live batches and the bulk build -------------------------------------------------------

    static final TableRows.Table SEGMENT = new TableRows.Table("activity_segment", "activity_id", "segment",
            "lead_agency", "axes", "regions", "target_groups", "partner_agencies", "period_start", "period_end",
            "occupying", "recorded_from", "occurred_from", "recorded_to", "occurred_to");
    static final TableRows.Table SCOPE = new TableRows.Table("activity_scope", "activity_id", "segment", "axis",
            "region", "target_group", "lead_agency", "period_start", "period_end", "recorded_from", "occurred_from",
            "recorded_to", "occurred_to");
    static final TableRows.Table PAIR = new TableRows.Table("convergence_pair", "activity_a", "segment_a",
            "activity_b", "segment_b", "kind", "shared_axes", "shared_regions", "shared_groups", "overlap_start",
            "overlap_end", "overlap_days", "score", "a_recorded_from", "a_occurred_from", "a_recorded_to",
            "a_occurred_to", "b_recorded_from", "b_occurred_from", "b_recorded_to", "b_occurred_to");

    static Object[] segmentRow(Segment segment) {
        ActivityScope footprint = segment.footprint();
        return new Object[] {segment.activityId(), segment.number(), footprint.leadAgency(), footprint.axes(),
                footprint.regions(), footprint.targetGroups(), footprint.sortedPartnerAgencies(), footprint.start(),
                footprint.end(), footprint.occupying(), segment.from().recorded().toString(),
                segment.from().occurred().toString(), endRecorded(segment), endOccurred(segment)};
    }

    /** Only occupying segments can pair: a cancelled activity's cells are not looked up. */
    static List<Object[]> scopeRows(Segment segment) {
        ActivityScope footprint = segment.footprint();
        List<Object[]> rows = new ArrayList<>();
        if (!footprint.occupying()) {
            return rows;
        }
        for (String axis : footprint.axes()) {
            for (String region : footprint.regions()) {
                for (String group : footprint.targetGroups()) {
                    rows.add(new Object[] {segment.activityId(), segment.number(), axis, region, group,
                            footprint.leadAgency(), footprint.start(), footprint.end(),
                            segment.from().recorded().toString(), segment.from().occurred().toString(),
                            endRecorded(segment), endOccurred(segment)});
                }
            }
        }
        return rows;
    }

    static Object[] pairRow(PairRow row) {
        PairRules.Pair pair = row.pair();
        return new Object[] {row.a().activityId(), row.a().number(), row.b().activityId(), row.b().number(),
                pair.kind().name(), pair.sharedAxes(), pair.sharedRegions(), pair.sharedGroups(), pair.overlapStart(),
                pair.overlapEnd(), pair.overlapDays(), pair.score(), row.a().from().recorded().toString(),
                row.a().from().occurred().toString(), endRecorded(row.a()), endOccurred(row.a()),
                row.b().from().recorded().toString(), row.b().from().occurred().toString(), endRecorded(row.b()),
                endOccurred(row.b())};
    }

    private static String endRecorded(Segment segment) {
        return Sql.instantOrInfinity(segment.to() == null ? null : segment.to().recorded());
    }

    private static String endOccurred(Segment segment) {
        return Sql.instantOrInfinity(segment.to() == null ? null : segment.to().occurred());
    }

    /**
     * Every pair among a whole ledger's segments, for a build from scratch: per cell, segments sorted by start, each
     * compared with those whose period it overlaps.
     */
    static List<PairRow> allPairs(java.util.Collection<Segment> segments) {
        Map<String, List<Segment>> byCell = new HashMap<>();
        for (Segment segment : segments) {
            if (segment.footprint().occupying()) {
                for (String cell : cells(segment.footprint())) {
                    byCell.computeIfAbsent(cell, c -> new ArrayList<>()).add(segment);
                }
            }
        }
        Map<String, PairRow> pairs = new LinkedHashMap<>();
        for (List<Segment> cell : byCell.values()) {
            List<LeadLane> lanes = LeadLane.of(cell);
            for (int i = 0; i < lanes.size(); i++) {
                for (int j = i + 1; j < lanes.size(); j++) {
                    LeadLane other = lanes.get(j);
                    for (Segment one : lanes.get(i).byStart) {
                        other.overlapping(one.footprint(), candidate -> judge(one, candidate, pairs));
                    }
                }
            }
        }
        List<PairRow> sorted = new ArrayList<>(pairs.values());
        sorted.sort(java.util.Comparator.comparing((PairRow row) -> row.a().activityId())
                .thenComparing(row -> row.a().number()).thenComparing(row -> row.b().activityId())
                .thenComparing(row -> row.b().number()));
        return sorted;
    }

    /**
     * One lead agency's segments in one cell, sorted by start, with its longest period: those overlapping a period
     * start between (its start − the longest period) and its end. Segments of one lead never pair, so a build compares
     * lanes, never a lane with itself: a cell holding thousands of one agency's look-alike activities stays linear.
     */
    private record LeadLane(List<Segment> byStart, long longestDays) {

        static List<LeadLane> of(List<Segment> cell) {
            Map<String, List<Segment>> byLead = new java.util.TreeMap<>();
            cell.forEach(segment -> byLead.computeIfAbsent(segment.footprint().leadAgency(), lead -> new ArrayList<>())
                    .add(segment));
            List<LeadLane> lanes = new ArrayList<>(byLead.size());
            for (List<Segment> lane : byLead.values()) {
                lane.sort(java.util.Comparator.comparing(segment -> segment.footprint().start()));
                long longest = lane.stream().mapToLong(segment -> segment.footprint().end().toEpochDay()
                        - segment.footprint().start().toEpochDay()).max().orElse(0);
                lanes.add(new LeadLane(lane, longest));
            }
            return lanes;
        }

        void overlapping(ActivityScope footprint, java.util.function.Consumer<Segment> found) {
            LocalDate earliest = footprint.start().minusDays(longestDays);
            int low = 0;
            int high = byStart.size();
            while (low < high) {
                int middle = (low + high) >>> 1;
                if (byStart.get(middle).footprint().start().isBefore(earliest)) {
                    low = middle + 1;
                } else {
                    high = middle;
                }
            }
            for (int k = low; k < byStart.size() && !byStart.get(k).footprint().start().isAfter(footprint.end()); k++) {
                Segment candidate = byStart.get(k);
                if (!candidate.footprint().end().isBefore(footprint.start())) {
                    found.accept(candidate);
                }
            }
        }
    }

    /** A whole ledger's segments and their cells, written with COPY. */
    public static Map<String, Long> copySegments(java.sql.Connection connection, List<Segment> segments)
            throws java.sql.SQLException {
        Map<String, Long> rows = new LinkedHashMap<>();
        rows.put(SEGMENT.name(), TableRows.copy(connection, SEGMENT, segments.stream()
                .map(ConvergenceTables::segmentRow).toList()));
        rows.put(SCOPE.name(), TableRows.copy(connection, SCOPE, segments.stream()
                .flatMap(segment -> scopeRows(segment).stream()).toList()));
        return rows;
    }

    /** Every pair among a whole ledger's segments, found once at the end, written with COPY. */
    public static Map<String, Long> copyPairs(java.sql.Connection connection, List<Segment> segments)
            throws java.sql.SQLException {
        return Map.of(PAIR.name(), TableRows.copy(connection, PAIR, allPairs(segments).stream()
                .map(ConvergenceTables::pairRow).toList()));
    }

    /** The counters of a whole ledger's current activities, written with COPY. */
    public static Map<String, Long> copyCounters(java.sql.Connection connection, List<Contribution> contributions)
            throws java.sql.SQLException {
        CounterDelta totals = new CounterDelta();
        contributions.forEach(contribution -> totals.add(contribution, +1));
        return Counters.copy(connection, totals);
    }

    static Segment segment(ResultSet rs) throws SQLException {
        ActivityScope footprint = new ActivityScope(rs.getString("activity_id"), rs.getString("lead_agency"),
                Sql.strings(rs.getArray("axes")), Sql.strings(rs.getArray("regions")),
                Sql.strings(rs.getArray("target_groups")), rs.getObject("period_start", LocalDate.class),
                rs.getObject("period_end", LocalDate.class), new TreeSet<>(Sql.strings(rs.getArray("partner_agencies"))),
                rs.getBoolean("occupying"));
        var recordedTo = Sql.instantOrNull(rs, "recorded_to");
        return new Segment(footprint, rs.getInt("segment"),
                new Stamp(rs.getObject("recorded_from", OffsetDateTime.class).toInstant(),
                        rs.getObject("occurred_from", OffsetDateTime.class).toInstant()),
                recordedTo == null ? null : new Stamp(recordedTo, Sql.instantOrNull(rs, "occurred_to")));
    }
}
