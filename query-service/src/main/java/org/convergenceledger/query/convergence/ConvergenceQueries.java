package org.convergenceledger.query.convergence;

import org.convergenceledger.query.projection.Moment;
import java.math.BigDecimal;
import java.math.RoundingMode;
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
import java.util.TreeMap;
import java.util.TreeSet;
import org.convergenceledger.events.common.ActivityState;
import org.convergenceledger.events.common.Regions;
import org.convergenceledger.events.coordination.DecideDuplication;
import org.convergenceledger.query.convergence.ConvergenceAnswers.Activities;
import org.convergenceledger.query.convergence.ConvergenceAnswers.ActivityRef;
import org.convergenceledger.query.convergence.ConvergenceAnswers.AxisSummary;
import org.convergenceledger.query.convergence.ConvergenceAnswers.ConvergenceAxes;
import org.convergenceledger.query.convergence.ConvergenceAnswers.Decision;
import org.convergenceledger.query.convergence.ConvergenceAnswers.Duplications;
import org.convergenceledger.query.convergence.ConvergenceAnswers.Execution;
import org.convergenceledger.query.convergence.ConvergenceAnswers.Freshness;
import org.convergenceledger.query.convergence.ConvergenceAnswers.Gap;
import org.convergenceledger.query.convergence.ConvergenceAnswers.Gaps;
import org.convergenceledger.query.convergence.ConvergenceAnswers.Joint;
import org.convergenceledger.query.convergence.ConvergenceAnswers.ListedActivity;
import org.convergenceledger.query.convergence.ConvergenceAnswers.JointActivity;
import org.convergenceledger.query.convergence.ConvergenceAnswers.JointAxis;
import org.convergenceledger.query.convergence.ConvergenceAnswers.Matrix;
import org.convergenceledger.query.convergence.ConvergenceAnswers.PairEntry;
import org.convergenceledger.query.convergence.ConvergenceAnswers.PartnerRef;
import org.convergenceledger.query.convergence.ConvergenceAnswers.Progress;
import org.convergenceledger.query.convergence.ConvergenceAnswers.ProgressReport;
import org.convergenceledger.query.convergence.ConvergenceAnswers.Review;
import org.convergenceledger.query.projection.ProjectionPosition;
import org.convergenceledger.query.projection.Projections;
import org.convergenceledger.query.system.Sql;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The convergence reads, on one connection (one snapshot). Live reads without filters come from the counters, kept
 * by every batch: a scan of a small table. Filtered reads, and every read about a past moment, group the versions
 * that hold at that moment (live: the current partition). The same SQL serves the live tables, the tables of a
 * rebuild and those of an auditor's replay.
 */
final class ConvergenceQueries {

    static final List<String> COVERING = List.of("PROPOSED", "COMMITTED", "STARTED");

    private final NamedParameterJdbcTemplate jdbc;

    ConvergenceQueries(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    // --- freshness -------------------------------------------------------------------------------------------------

    Freshness freshness(Moment moment) {
        var live = ProjectionPosition.of(jdbc.getJdbcTemplate(), Projections.ACTIVITY_VIEW);
        if (moment.knownAt() == null) {
            return new Freshness(live.map(ProjectionPosition.Position::globalSequence).orElse(null),
                    live.map(ProjectionPosition.Position::eventTime).orElse(null), null, moment.validAt());
        }
        // The last activity event recorded by knownAt that the view holds.
        long prefix = live.map(ProjectionPosition.Position::globalSequence).orElse(0L);
        List<Freshness> last = jdbc.query("""
                SELECT global_sequence, recorded_from FROM activity_version
                WHERE recorded_from <= CAST(:knownAt AS timestamptz) AND global_sequence <= :prefix
                ORDER BY recorded_from DESC, global_sequence DESC LIMIT 1
                """, new MapSqlParameterSource("knownAt", moment.knownAt().toString()).addValue("prefix", prefix),
                (rs, row) -> new Freshness(rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant(),
                        moment.knownAt(), moment.validAt()));
        return last.isEmpty() ? new Freshness(null, null, moment.knownAt(), moment.validAt()) : last.get(0);
    }

    // --- matrix ----------------------------------------------------------------------------------------------------

    Matrix matrix(Dimension rows, Dimension cols, ViewFilter filter, Moment moment) {
        Cells cells = new Cells();
        if (moment.live() && filter.answeredByCounters(rows, cols)) {
            counterCells(rows, cols, filter, cells);
        } else {
            groupedCells(rows, cols, filter, moment, cells);
        }
        List<ConvergenceAnswers.Cell> built = cells.build();
        Set<String> rowKeys = new TreeSet<>();
        Set<String> colKeys = new TreeSet<>();
        built.forEach(cell -> {
            rowKeys.add(cell.row());
            colKeys.add(cell.col());
        });
        return new Matrix(rows.parameter, cols.parameter, List.copyOf(rowKeys), List.copyOf(colKeys), built,
                freshness(moment));
    }

    private void counterCells(Dimension rows, Dimension cols, ViewFilter filter, Cells cells) {
        boolean inOrder = rows.ordinal() < cols.ordinal();
        String rowColumn = inOrder ? "row_key" : "col_key";
        String colColumn = inOrder ? "col_key" : "row_key";
        MapSqlParameterSource sql = new MapSqlParameterSource("dims", Dimension.pairName(rows, cols));
        StringBuilder condition = new StringBuilder();
        in(condition, sql, rowColumn, "rowKeys", filter.values(rows));
        in(condition, sql, colColumn, "colKeys", filter.values(cols));
        in(condition, sql, "state", "states", filter.states().stream().map(Enum::name).toList());
        jdbc.query("""
                SELECT %s AS r, %s AS c, state, activities, planned_currency, planned, committed_currency, committed,
                       spent_currency, spent
                FROM convergence_cell WHERE dims = :dims %s
                """.formatted(rowColumn, colColumn, condition), sql, row -> {
                    cells.add(cellRow(row));
                });
    }

    private void groupedCells(Dimension rows, Dimension cols, ViewFilter filter, Moment moment, Cells cells) {
        MapSqlParameterSource sql = new MapSqlParameterSource();
        Map<Dimension, String> unnested = new LinkedHashMap<>();
        String from = "activity_version v" + unnest(rows, "r_", unnested) + unnest(cols, "c_", unnested);
        String condition = filter.condition(sql, unnested);
        jdbc.query("""
                SELECT %s AS r, %s AS c, v.state, count(*) AS activities, v.planned_currency,
                       sum(v.planned_amount) AS planned, v.committed_currency, sum(v.committed_amount) AS committed,
                       v.spent_currency, sum(v.amount_spent) AS spent
                FROM %s
                WHERE %s %s
                GROUP BY 1, 2, 3, 5, 7, 9
                """.formatted(unnested.get(rows), unnested.get(cols), from, moment.versions("v", sql), condition),
                sql, row -> {
                    cells.add(cellRow(row));
                });
    }

    /** A lateral unnest of the dimension's array (the lead agency is a column); its value's expression goes to names. */
    private static String unnest(Dimension dimension, String alias, Map<Dimension, String> names) {
        if (dimension == Dimension.AGENCY) {
            names.put(dimension, "v.lead_agency");
            return "";
        }
        names.put(dimension, alias + ".k");
        return " CROSS JOIN LATERAL unnest(v." + dimension.arrayColumn + ") AS " + alias + "(k)";
    }

    private static Cells.Row cellRow(ResultSet row) throws SQLException {
        return new Cells.Row(row.getString("r"), row.getString("c"), row.getString("state"),
                row.getLong("activities"), row.getString("planned_currency"), row.getBigDecimal("planned"),
                row.getString("committed_currency"), row.getBigDecimal("committed"), row.getString("spent_currency"),
                row.getBigDecimal("spent"));
    }

    // --- the per-axis summary --------------------------------------------------------------------------------------

    ConvergenceAxes axes(Moment moment) {
        Map<String, AxisBuilder> axes = new TreeMap<>();
        MapSqlParameterSource sql = new MapSqlParameterSource();
        jdbc.query("SELECT code, title FROM axis" + definedBy(moment, "defined_at", sql), sql, rs -> {
            axis(axes, rs.getString("code")).title = rs.getString("title");
        });
        // Every activity has one lead agency: axis x agency cells summed over agencies count each activity once.
        for (ConvergenceAnswers.Cell cell : matrix(Dimension.AXIS, Dimension.AGENCY, ViewFilter.of(Map.of()), moment)
                .cells()) {
            AxisBuilder axis = axis(axes, cell.row());
            cell.byState().forEach((state, count) -> axis.byState.merge(state, count, Long::sum));
            axis.byAgency.merge(cell.col(), cell.activities(), Long::sum);
            cell.budget().planned().forEach((currency, amount) -> axis.planned.merge(currency, amount, BigDecimal::add));
            cell.budget().committed().forEach((currency, amount) ->
                    axis.committed.merge(currency, amount, BigDecimal::add));
            cell.budget().spent().forEach((currency, amount) -> axis.spent.merge(currency, amount, BigDecimal::add));
        }
        List<AxisSummary> summaries = new ArrayList<>();
        axes.forEach((code, axis) -> summaries.add(axis.build(code)));
        Freshness freshness = freshness(moment);
        return new ConvergenceAxes(summaries, freshness.asOfSequence(), freshness.lastEventAt(), freshness);
    }

    private static AxisBuilder axis(Map<String, AxisBuilder> axes, String code) {
        return axes.computeIfAbsent(code, c -> new AxisBuilder());
    }

    private static final class AxisBuilder {
        private String title;
        private final Map<String, Long> byState = new LinkedHashMap<>();
        private final Map<String, Long> byAgency = new TreeMap<>();
        private final Map<String, BigDecimal> planned = new TreeMap<>();
        private final Map<String, BigDecimal> committed = new TreeMap<>();
        private final Map<String, BigDecimal> spent = new TreeMap<>();

        AxisSummary build(String code) {
            // Every state is listed, zero or not, so a dashboard reads the same keys for every axis.
            Map<String, Long> states = new LinkedHashMap<>();
            for (ActivityState state : ActivityState.values()) {
                states.put(state.name(), byState.getOrDefault(state.name(), 0L));
            }
            return new AxisSummary(code, title, states, byAgency, Cells.plain(planned), Cells.plain(committed),
                    Cells.plain(spent));
        }
    }

    // --- pairs -----------------------------------------------------------------------------------------------------

    Duplications duplications(ViewFilter filter, Moment moment) {
        List<PairEntry> pairs = reviewed(pairs("DUPLICATION", filter, moment), moment);
        return new Duplications(pairs, Clusters.of(pairs), freshness(moment));
    }

    /**
     * The pairs with what the coordinators decided, as known at the moment: each decision, and for each whether a
     * later version of either activity (known by then) changed its scope or period from the version it was taken on.
     */
    /** A decision as known at the moment, and whether either activity's scope or period changed after it. */
    private record Decided(Decision decision, boolean reopened) {
    }

    private List<PairEntry> reviewed(List<PairEntry> pairs, Moment moment) {
        if (pairs.isEmpty()) {
            return pairs;
        }
        MapSqlParameterSource sql = new MapSqlParameterSource("pairs", pairs.stream()
                .map(pair -> DecideDuplication.pairIdOf(pair.first().id(), pair.second().id())).toList());
        String known = "";
        if (moment.knownAt() != null) {
            known = " AND %s.recorded_from <= CAST(:knownAt AS timestamptz)";
            sql.addValue("knownAt", moment.knownAt().toString());
        }
        String changed = """
                EXISTS (SELECT 1 FROM activity_version v JOIN LATERAL (
                            SELECT w.axes, w.regions, w.target_groups, w.planned_start, w.planned_end
                            FROM activity_version w WHERE w.activity_id = v.activity_id
                              AND w.global_sequence < d.global_sequence
                            ORDER BY w.global_sequence DESC LIMIT 1) decided ON true
                        WHERE v.activity_id = d.%1$s AND v.global_sequence > d.global_sequence %2$s
                          AND (v.axes, v.regions, v.target_groups, v.planned_start, v.planned_end)
                              IS DISTINCT FROM (decided.axes, decided.regions, decided.target_groups,
                                                decided.planned_start, decided.planned_end))""";
        Map<String, List<Decided>> byPair = new HashMap<>();
        jdbc.query("""
                SELECT d.pair_id, d.decision, d.continuing, d.reason, d.decided_by, d.decided_at,
                       %s OR %s AS reopened
                FROM duplication_decision d
                WHERE d.pair_id IN (:pairs) %s
                ORDER BY d.pair_id, d.version
                """.formatted(changed.formatted("activity_a", known.formatted("v")),
                changed.formatted("activity_b", known.formatted("v")),
                moment.knownAt() == null ? "" : " AND d.decided_at <= CAST(:knownAt AS timestamptz)"), sql, row -> {
                    byPair.computeIfAbsent(row.getString("pair_id"), pair -> new ArrayList<>()).add(new Decided(
                            new Decision(row.getString("decision"), row.getString("continuing"),
                                    row.getString("reason"), row.getString("decided_by"),
                                    row.getObject("decided_at", OffsetDateTime.class).toInstant()),
                            row.getBoolean("reopened")));
                });
        List<PairEntry> reviewed = new ArrayList<>(pairs.size());
        for (PairEntry pair : pairs) {
            List<Decided> decisions = byPair.get(DecideDuplication.pairIdOf(pair.first().id(), pair.second().id()));
            if (decisions == null) {
                reviewed.add(pair.reviewed(Review.OPEN));
                continue;
            }
            Decided latest = decisions.get(decisions.size() - 1);
            reviewed.add(pair.reviewed(new Review(latest.reopened() ? "REOPENED" : latest.decision().decision(),
                    latest.decision(), decisions.stream().map(Decided::decision).toList())));
        }
        return reviewed;
    }

    /**
     * The pairs of one kind at the moment, highest score first, at most the filter's limit. The pairs are chosen from
     * convergence_pair alone (the lead agency is the activity id's prefix); only a state filter needs the activities'
     * versions first.
     */
    List<PairEntry> pairs(String kind, ViewFilter filter, Moment moment) {
        MapSqlParameterSource sql = new MapSqlParameterSource("kind", kind).addValue("limit", filter.limit());
        StringBuilder condition = new StringBuilder(" AND ").append(moment.holds("p.a_", sql))
                .append(" AND ").append(moment.holds("p.b_", sql));
        overlaps(condition, sql, "p.shared_axes", "axes", filter.axes());
        overlaps(condition, sql, "p.shared_regions", "regions", filter.regions());
        overlaps(condition, sql, "p.shared_groups", "targetGroups", filter.targetGroups());
        if (!filter.agencies().isEmpty()) {
            condition.append(" AND (split_part(p.activity_a, ':', 1) IN (:agencies)"
                    + " OR split_part(p.activity_b, ':', 1) IN (:agencies))");
            sql.addValue("agencies", filter.agencies());
        }
        if (filter.from() != null) {
            condition.append(" AND p.overlap_end >= :from");
            sql.addValue("from", filter.from());
        }
        if (filter.to() != null) {
            condition.append(" AND p.overlap_start <= :to");
            sql.addValue("to", filter.to());
        }
        String refs = moment.live() ? """
                JOIN activity_view a ON a.id = p.activity_a
                JOIN activity_view b ON b.id = p.activity_b""" : """
                JOIN activity_version a ON a.activity_id = p.activity_a AND %s
                JOIN activity_version b ON b.activity_id = p.activity_b AND %s"""
                .formatted(moment.holds("a.", sql), moment.holds("b.", sql));
        // What each activity's lead said of the other agency without both agreeing: claims not (yet) confirmed.
        String claims = moment.live() ? """
                ARRAY(SELECT ap.status FROM activity_partner ap WHERE ap.activity_id = %1$s.id
                      AND ap.agency = %2$s.lead_agency AND ap.status IN ('CLAIMED', 'CONTESTED')) AS %1$s_claims"""
                : """
                ARRAY(SELECT u.s FROM unnest(%1$s.partner_agencies, %1$s.partner_statuses) AS u(ag, s)
                      WHERE u.ag = %2$s.lead_agency AND u.s IN ('CLAIMED', 'CONTESTED')) AS %1$s_claims""";
        String columns = claims.formatted("a", "b") + ", " + claims.formatted("b", "a") + ", " + """
                p.activity_a, p.activity_b, p.shared_axes, p.shared_regions, p.shared_groups, p.overlap_start,
                p.overlap_end, p.overlap_days, p.score,
                a.lead_agency AS a_lead, a.title AS a_title, a.state AS a_state,
                coalesce(a.started_on, a.planned_start) AS a_start, coalesce(a.completed_on, a.planned_end) AS a_end,
                b.lead_agency AS b_lead, b.title AS b_title, b.state AS b_state,
                coalesce(b.started_on, b.planned_start) AS b_start, coalesce(b.completed_on, b.planned_end) AS b_end""";
        String query;
        if (filter.states().isEmpty()) {
            query = """
                    SELECT %s FROM (SELECT * FROM convergence_pair p WHERE p.kind = :kind %s
                                    ORDER BY p.score DESC, p.activity_a, p.activity_b LIMIT :limit) p
                    %s
                    ORDER BY p.score DESC, p.activity_a, p.activity_b
                    """.formatted(columns, condition, refs);
        } else {
            sql.addValue("states", filter.states().stream().map(Enum::name).toList());
            query = """
                    SELECT %s FROM convergence_pair p
                    %s
                    WHERE p.kind = :kind %s AND (a.state IN (:states) OR b.state IN (:states))
                    ORDER BY p.score DESC, p.activity_a, p.activity_b LIMIT :limit
                    """.formatted(columns, refs, condition);
        }
        return jdbc.query(query, sql, (row, n) -> pairEntry(row, kind));
    }

    private static PairEntry pairEntry(ResultSet row, String kind) throws SQLException {
        ActivityRef first = new ActivityRef(row.getString("activity_a"), row.getString("a_lead"),
                row.getString("a_title"), row.getString("a_state"), row.getObject("a_start", LocalDate.class),
                row.getObject("a_end", LocalDate.class));
        ActivityRef second = new ActivityRef(row.getString("activity_b"), row.getString("b_lead"),
                row.getString("b_title"), row.getString("b_state"), row.getObject("b_start", LocalDate.class),
                row.getObject("b_end", LocalDate.class));
        List<String> axes = Sql.strings(row.getArray("shared_axes"));
        List<String> regions = Sql.strings(row.getArray("shared_regions"));
        List<String> groups = Sql.strings(row.getArray("shared_groups"));
        LocalDate start = row.getObject("overlap_start", LocalDate.class);
        LocalDate end = row.getObject("overlap_end", LocalDate.class);
        long days = row.getLong("overlap_days");
        PairRules.Partnership partnership = "DUPLICATION".equals(kind)
                ? PairRules.Partnership.unconfirmed(first.leadAgency(), Sql.strings(row.getArray("a_claims")),
                        second.leadAgency(), Sql.strings(row.getArray("b_claims")))
                : PairRules.Partnership.confirmed(first.leadAgency(), second.leadAgency());
        return new PairEntry(first, second, axes, regions, groups, start, end, days, row.getBigDecimal("score"),
                partnership.status(), "CONFIRMED".equals(partnership.status()) ? null : partnership.claimant(),
                PairRules.reasons(first.leadAgency(), second.leadAgency(), axes, regions,
                        groups, start, end, days, partnership), null);
    }

    private static void overlaps(StringBuilder condition, MapSqlParameterSource sql, String column, String name,
                                 List<String> values) {
        if (!values.isEmpty()) {
            condition.append(" AND ").append(column).append(" && ARRAY[:").append(name).append("]::text[]");
            sql.addValue(name, values);
        }
    }

    // --- the activities behind a count -----------------------------------------------------------------------------

    /**
     * The activities the filter selects at the moment — the same versions and the same conditions as the matrix, so a
     * cell's list holds the activities its count counts. {@code involving}, when given, keeps the activities those
     * agencies lead or take part in (an agency's own page), beside the filter's lead agencies.
     */
    Activities activities(ViewFilter filter, List<String> involving, Moment moment) {
        MapSqlParameterSource sql = new MapSqlParameterSource("limit", filter.limit());
        String where = moment.versions("v", sql) + filter.condition(sql, Map.of());
        if (!involving.isEmpty()) {
            where += " AND (v.lead_agency IN (:involving) OR v.partner_agencies && ARRAY[:involving]::text[])";
            sql.addValue("involving", involving);
        }
        long[] total = {0};
        List<ListedActivity> items = new ArrayList<>();
        jdbc.query("""
                SELECT v.activity_id, v.lead_agency, v.title, v.state, v.partner_agencies, v.partner_roles,
                       v.partner_statuses, v.planned_start, v.planned_end, v.planned_amount, v.planned_currency, count(*) OVER () AS total
                FROM activity_version v WHERE %s ORDER BY v.activity_id LIMIT :limit
                """.formatted(where), sql, row -> {
                    total[0] = row.getLong("total");
                    items.add(new ListedActivity(row.getString("activity_id"), row.getString("lead_agency"),
                            row.getString("title"), row.getString("state"), partners(row),
                            row.getObject("planned_start", LocalDate.class), row.getObject("planned_end", LocalDate.class),
                            row.getBigDecimal("planned_amount"), row.getString("planned_currency")));
                });
        return new Activities(items, total[0], total[0] > items.size(), freshness(moment));
    }

    /**
     * A version's partners, from its three parallel arrays (agency, role, status; an empty role is none given).
     */
    private static List<PartnerRef> partners(ResultSet row) throws SQLException {
        List<String> agencies = Sql.strings(row.getArray("partner_agencies"));
        List<String> roles = Sql.strings(row.getArray("partner_roles"));
        List<String> statuses = Sql.strings(row.getArray("partner_statuses"));
        List<PartnerRef> partners = new ArrayList<>();
        for (int i = 0; i < agencies.size(); i++) {
            partners.add(new PartnerRef(agencies.get(i), roles.get(i).isEmpty() ? null : roles.get(i),
                    statuses.get(i)));
        }
        return partners;
    }

    // --- joint work ------------------------------------------------------------------------------------------------

    Joint joint(ViewFilter filter, Moment moment) {
        MapSqlParameterSource sql = new MapSqlParameterSource("limit", filter.limit() + 1);
        Map<Dimension, String> unnested = Map.of(Dimension.AXIS, "ax.k");
        String condition = filter.condition(sql, unnested);
        Map<String, List<JointActivity>> byAxis = new TreeMap<>();
        int[] listed = {0};
        jdbc.query("""
                SELECT ax.k AS axis, v.activity_id, v.lead_agency, v.title, v.state, v.partner_agencies,
                       v.partner_roles, v.partner_statuses
                FROM activity_version v CROSS JOIN LATERAL unnest(v.axes) AS ax(k)
                WHERE %s AND 'CONFIRMED' = ANY (v.partner_statuses) %s
                ORDER BY ax.k, v.activity_id LIMIT :limit
                """.formatted(moment.versions("v", sql), condition), sql, row -> {
                    if (++listed[0] > filter.limit()) {
                        return;
                    }
                    byAxis.computeIfAbsent(row.getString("axis"), axis -> new ArrayList<>())
                            .add(new JointActivity(row.getString("activity_id"), row.getString("lead_agency"),
                                    row.getString("title"), row.getString("state"), partners(row)));
                });
        List<JointAxis> axes = new ArrayList<>();
        byAxis.forEach((axis, activities) -> axes.add(new JointAxis(axis, activities)));
        return new Joint(axes, listed[0] > filter.limit(), pairs("JOINT", filter, moment), freshness(moment));
    }

    // --- gaps ------------------------------------------------------------------------------------------------------

    Gaps gaps(ViewFilter filter, Moment moment) {
        List<String> covering = filter.states().isEmpty() ? COVERING
                : filter.states().stream().map(Enum::name).toList();
        // National activities are reported beside each gap, so the region filter must not drop them.
        ViewFilter occupancy = filter.withoutRegions()
                .withStates(covering.stream().map(ActivityState::valueOf).toList());
        Set<List<String>> occupied = new HashSet<>();
        if (moment.live() && occupancy.answeredByCounters(Dimension.AXIS, Dimension.REGION)) {
            MapSqlParameterSource sql = new MapSqlParameterSource("covering", covering);
            StringBuilder condition = new StringBuilder();
            in(condition, sql, "row_key", "axes", occupancy.axes());
            jdbc.query("""
                    SELECT DISTINCT row_key, col_key FROM convergence_cell
                    WHERE dims = 'axis:region' AND state IN (:covering) %s
                    """.formatted(condition), sql, row -> {
                        occupied.add(List.of(row.getString(1), row.getString(2)));
                    });
        } else {
            MapSqlParameterSource sql = new MapSqlParameterSource();
            Map<Dimension, String> unnested = new LinkedHashMap<>();
            unnested.put(Dimension.AXIS, "ax.k");
            unnested.put(Dimension.REGION, "rg.k");
            String condition = occupancy.condition(sql, unnested);
            jdbc.query("""
                    SELECT DISTINCT ax.k, rg.k FROM activity_version v CROSS JOIN LATERAL unnest(v.axes) AS ax(k)
                        CROSS JOIN LATERAL unnest(v.regions) AS rg(k)
                    WHERE %s %s
                    """.formatted(moment.versions("v", sql), condition), sql, row -> {
                        occupied.add(List.of(row.getString(1), row.getString(2)));
                    });
        }
        Map<String, List<String>> national = new HashMap<>();
        MapSqlParameterSource sql = new MapSqlParameterSource("national", Regions.NATIONAL);
        Map<Dimension, String> byAxis = Map.of(Dimension.AXIS, moment.live() ? "s.axis" : "ax.k");
        String condition = occupancy.condition(sql, byAxis);
        // Live: the national cells of current segments (a small index), then each one's current version by key (a
        // join would scan every current version); in the past: a scan.
        String nationals = moment.live() ? """
                SELECT DISTINCT s.axis AS axis, s.activity_id FROM activity_scope s
                CROSS JOIN LATERAL (SELECT 1 FROM activity_version v
                                    WHERE v.activity_id = s.activity_id AND v.is_current %s LIMIT 1) current
                WHERE s.region = :national AND s.recorded_to = 'infinity'
                ORDER BY s.activity_id
                """.formatted(condition) : """
                SELECT ax.k AS axis, v.activity_id FROM activity_version v CROSS JOIN LATERAL unnest(v.axes) AS ax(k)
                WHERE %s AND v.regions @> ARRAY[CAST(:national AS text)] %s
                ORDER BY v.activity_id
                """.formatted(moment.versions("v", sql), condition);
        jdbc.query(nationals, sql, row -> {
            national.computeIfAbsent(row.getString("axis"), axis -> new ArrayList<>()).add(row.getString("activity_id"));
        });
        MapSqlParameterSource axesSql = new MapSqlParameterSource();
        List<String> axes = filter.axes().isEmpty()
                ? jdbc.queryForList("SELECT code FROM axis" + definedBy(moment, "defined_at", axesSql)
                        + " ORDER BY code", axesSql, String.class)
                : filter.axes();
        List<String> regions = Regions.ALL.stream().filter(region -> !Regions.NATIONAL.equals(region))
                .filter(region -> filter.regions().isEmpty() || filter.regions().contains(region)).toList();
        List<Gap> gaps = new ArrayList<>();
        for (String axis : axes) {
            for (String region : regions) {
                if (!occupied.contains(List.of(axis, region))) {
                    gaps.add(new Gap(axis, region, national.getOrDefault(axis, List.of())));
                }
            }
        }
        return new Gaps(covering, gaps, freshness(moment));
    }

    // --- progress --------------------------------------------------------------------------------------------------

    ProgressReport progress(ViewFilter filter, Moment moment) {
        if (moment.live() && filter.isEmpty()) {
            return new ProgressReport(counterProgress("axis"), counterProgress("agency"), freshness(moment));
        }
        return groupedProgress(filter, moment);
    }

    private List<Progress> counterProgress(String dimension) {
        MapSqlParameterSource sql = new MapSqlParameterSource("dimension", dimension);
        Map<String, Map<String, Execution>> execution = new HashMap<>();
        jdbc.query("""
                SELECT key, currency, committed, spent, committed_of_completed FROM convergence_execution
                WHERE dimension = :dimension
                """, sql, row -> {
                    execution.computeIfAbsent(row.getString("key"), key -> new TreeMap<>()).put(
                            row.getString("currency"), execution(row.getBigDecimal("committed"),
                                    row.getBigDecimal("spent"), row.getBigDecimal("committed_of_completed")));
                });
        List<ResultRow> rows = jdbc.query("""
                SELECT key, activities, committed, started, completed, suspended, cancelled, beneficiaries
                FROM convergence_progress WHERE dimension = :dimension
                """, sql, (row, n) -> new ResultRow(row.getString("key"), row.getLong("activities"),
                row.getLong("committed"), row.getLong("started"), row.getLong("completed"), row.getLong("suspended"),
                row.getLong("cancelled"), row.getLong("beneficiaries")));
        return progress(rows, execution);
    }

    /**
     * Progress grouped from the versions at the moment, per axis and per lead agency, in one statement: the versions
     * are read once (a materialized CTE) and the four groupings run over them.
     */
    private ProgressReport groupedProgress(ViewFilter filter, Moment moment) {
        MapSqlParameterSource sql = new MapSqlParameterSource();
        Map<Dimension, String> byAxis = Map.of(Dimension.AXIS, "ax.k");
        String axisFilter = filter.axes().isEmpty() ? "" : " WHERE ax.k IN (:filter_axis)";
        String where = moment.versions("v", sql) + filter.condition(sql, Map.of());
        if (!filter.axes().isEmpty()) {
            sql.addValue("filter_axis", filter.axes());
        }
        String counts = """
                count(*) AS activities, count(v.committed_on) AS committed, count(v.started_on) AS started,
                count(v.completed_on) AS completed, count(*) FILTER (WHERE v.state = 'SUSPENDED') AS suspended,
                count(*) FILTER (WHERE v.state = 'CANCELLED') AS cancelled,
                coalesce(sum(v.beneficiaries_reached), 0) AS beneficiaries,
                NULL AS currency, NULL::numeric AS committed_sum, NULL::numeric AS spent_sum,
                NULL::numeric AS committed_of_completed""";
        String money = """
                NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint,
                v.committed_currency, sum(v.committed_amount),
                sum(v.amount_spent) FILTER (WHERE v.spent_currency = v.committed_currency),
                sum(v.committed_amount) FILTER (WHERE v.completed_on IS NOT NULL)""";
        String committed = " v.committed_currency IS NOT NULL AND v.state <> 'CANCELLED'";
        Map<String, Map<String, Map<String, Execution>>> execution = Map.of("axis", new HashMap<>(),
                "agency", new HashMap<>());
        Map<String, List<ResultRow>> rows = Map.of("axis", new ArrayList<>(), "agency", new ArrayList<>());
        jdbc.query("""
                WITH v AS MATERIALIZED (SELECT v.axes, v.lead_agency, v.state, v.committed_on, v.started_on,
                        v.completed_on, v.beneficiaries_reached, v.committed_currency, v.committed_amount,
                        v.amount_spent, v.spent_currency FROM activity_version v WHERE %s)
                SELECT 'axis' AS dimension, 'count' AS kind, ax.k AS k, %s
                    FROM v CROSS JOIN LATERAL unnest(v.axes) AS ax(k)%s GROUP BY ax.k
                UNION ALL
                SELECT 'agency', 'count', v.lead_agency, %s FROM v GROUP BY v.lead_agency
                UNION ALL
                SELECT 'axis', 'money', ax.k, %s FROM v CROSS JOIN LATERAL unnest(v.axes) AS ax(k)
                    WHERE %s%s GROUP BY ax.k, v.committed_currency
                UNION ALL
                SELECT 'agency', 'money', v.lead_agency, %s FROM v WHERE %s
                    GROUP BY v.lead_agency, v.committed_currency
                """.formatted(where, counts, axisFilter, counts, money, committed,
                        axisFilter.replace(" WHERE ", " AND "), money, committed), sql, row -> {
                    String dimension = row.getString("dimension");
                    if ("money".equals(row.getString("kind"))) {
                        execution.get(dimension).computeIfAbsent(row.getString("k"), k -> new TreeMap<>()).put(
                                row.getString("currency"), execution(row.getBigDecimal("committed_sum"),
                                        zeroIfNull(row.getBigDecimal("spent_sum")),
                                        zeroIfNull(row.getBigDecimal("committed_of_completed"))));
                    } else {
                        rows.get(dimension).add(new ResultRow(row.getString("k"), row.getLong("activities"),
                                row.getLong("committed"), row.getLong("started"), row.getLong("completed"),
                                row.getLong("suspended"), row.getLong("cancelled"), row.getLong("beneficiaries")));
                    }
                });
        return new ProgressReport(progress(rows.get("axis"), execution.get("axis")),
                progress(rows.get("agency"), execution.get("agency")), freshness(moment));
    }

    /** One key's counts, from the counters or from grouping. */
    private record ResultRow(String key, long activities, long committed, long started, long completed,
                             long suspended, long cancelled, long beneficiaries) {
    }

    private static List<Progress> progress(List<ResultRow> rows, Map<String, Map<String, Execution>> execution) {
        List<Progress> progress = new ArrayList<>();
        rows.stream().sorted(java.util.Comparator.comparing(ResultRow::key)).forEach(row -> {
            Map<String, Long> reached = new LinkedHashMap<>();
            reached.put("PROPOSED", row.activities());
            reached.put("COMMITTED", row.committed());
            reached.put("STARTED", row.started());
            reached.put("COMPLETED", row.completed());
            reached.put("SUSPENDED", row.suspended());
            reached.put("CANCELLED", row.cancelled());
            progress.add(new Progress(row.key(), row.activities(), reached,
                    ratio(BigDecimal.valueOf(row.completed()), BigDecimal.valueOf(row.started())),
                    execution.getOrDefault(row.key(), Map.of()), row.beneficiaries()));
        });
        return progress;
    }

    private static Execution execution(BigDecimal committed, BigDecimal spent, BigDecimal committedOfCompleted) {
        return new Execution(Cells.plain(committed), Cells.plain(spent), Cells.plain(committedOfCompleted),
                ratio(spent, committedOfCompleted));
    }

    // --- helpers ---------------------------------------------------------------------------------------------------

    /** Agencies and axes as registered by knownAt (all of them for a live read or validAt alone). */
    private static String definedBy(Moment moment, String column, MapSqlParameterSource sql) {
        if (moment.knownAt() == null) {
            return "";
        }
        sql.addValue("definedBy", moment.knownAt().toString());
        return " WHERE " + column + " <= CAST(:definedBy AS timestamptz)";
    }

    private static void in(StringBuilder condition, MapSqlParameterSource sql, String column, String name,
                           List<String> values) {
        if (!values.isEmpty()) {
            condition.append(" AND ").append(column).append(" IN (:").append(name).append(')');
            sql.addValue(name, values);
        }
    }

    static BigDecimal ratio(BigDecimal part, BigDecimal whole) {
        return whole.signum() == 0 ? null : part.divide(whole, 4, RoundingMode.HALF_UP);
    }

    private static BigDecimal zeroIfNull(BigDecimal value) {
        return value == null ? BigDecimal.ZERO : value;
    }
}
