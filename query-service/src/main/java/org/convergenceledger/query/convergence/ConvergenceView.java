package org.convergenceledger.query.convergence;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.convergenceledger.events.common.ActivityState;
import org.convergenceledger.events.common.Regions;
import org.convergenceledger.query.system.BadParameter;
import org.convergenceledger.query.system.ProjectionPosition;
import org.convergenceledger.query.system.ProjectionReplay;
import org.convergenceledger.query.system.Projections;
import org.convergenceledger.query.system.ReadSnapshot;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The steering committee's question, "are we converging?", answered from activity_scope and convergence_pair:
 * the matrices, likely duplications, joint work, gaps and progress. Every read takes the same filters
 * ({@link ViewFilter}) and says how fresh it is. Amounts are summed per currency, never across currencies; an
 * activity spread over several regions or axes counts whole in each of its cells, so cells do not add up to totals.
 */
@RestController
class ConvergenceView {

    record Freshness(Long asOfSequence, Instant lastEventAt) {
    }

    record Budget(Map<String, BigDecimal> planned, Map<String, BigDecimal> committed, Map<String, BigDecimal> spent) {
    }

    record Cell(String row, String col, long activities, Map<String, Long> byState, Budget budget) {
    }

    record Matrix(String rows, String cols, List<String> rowKeys, List<String> colKeys, List<Cell> cells,
                  Freshness freshness) {
    }

    record ActivityRef(String id, String leadAgency, String title, String state, LocalDate start, LocalDate end) {
    }

    record PairEntry(ActivityRef first, ActivityRef second, List<String> sharedAxes, List<String> sharedRegions,
                     List<String> sharedTargetGroups, LocalDate overlapStart, LocalDate overlapEnd, long overlapDays,
                     BigDecimal score, List<String> reasons) {
    }

    record Cluster(List<String> activities, List<String> agencies, int pairs) {
    }

    record Duplications(List<PairEntry> pairs, List<Cluster> clusters, Freshness freshness) {
    }

    record PartnerRef(String agency, String role) {
    }

    record JointActivity(String id, String leadAgency, String title, String state, List<PartnerRef> partners) {
    }

    record JointAxis(String axis, List<JointActivity> activities) {
    }

    record Joint(List<JointAxis> axes, List<PairEntry> overlappingPartnerActivities, Freshness freshness) {
    }

    record Gap(String axis, String region, List<String> nationalActivities) {
    }

    record Gaps(List<String> coveringStates, List<Gap> gaps, Freshness freshness) {
    }

    record Execution(BigDecimal committed, BigDecimal spent, BigDecimal committedOfCompleted, BigDecimal rate) {
    }

    record Progress(String key, long activities, Map<String, Long> reached, BigDecimal completionRate,
                    Map<String, Execution> budgetExecution, long beneficiariesReached) {
    }

    record ProgressReport(List<Progress> axes, List<Progress> agencies, Freshness freshness) {
    }

    private static final Map<String, String> DIMENSIONS = Map.of(
            "axis", "s.axis", "region", "s.region", "targetGroup", "s.target_group", "agency", "v.lead_agency");
    private static final List<String> COVERING = List.of("PROPOSED", "COMMITTED", "STARTED");
    private static final int MAX_PAIRS = 1000;

    private final NamedParameterJdbcTemplate jdbc;
    private final ReadSnapshot snapshot;
    private final ProjectionPosition position;
    private final ProjectionReplay replay;

    ConvergenceView(NamedParameterJdbcTemplate jdbc, ReadSnapshot snapshot, ProjectionPosition position,
                    ProjectionReplay replay) {
        this.jdbc = jdbc;
        this.snapshot = snapshot;
        this.position = position;
        this.replay = replay;
    }

    /**
     * Runs a read on the live view, or with ?asOf= on the view as it was known at that instant: rebuilt from the
     * events recorded up to then, replayed from the event store into private tables the same reads then query.
     */
    private <T> T read(Map<String, String> parameters, Supplier<T> reads) {
        String asOf = parameters.get("asOf");
        if (asOf == null || asOf.isBlank()) {
            return snapshot.read(reads);
        }
        Instant then;
        try {
            then = Instant.parse(asOf.strip());
        } catch (DateTimeParseException e) {
            throw new BadParameter("asOf", "must be a UTC instant such as 2025-03-31T00:00:00Z, not '" + asOf + "'");
        }
        return replay.replay(ProjectionReplay.Bound.recordedBy(then), reads).result();
    }

    @GetMapping("/api/convergence/matrix")
    Matrix matrix(@RequestParam(defaultValue = "axis") String rows, @RequestParam(defaultValue = "agency") String cols,
                  @RequestParam Map<String, String> parameters) {
        String rowColumn = dimension("rows", rows);
        String colColumn = dimension("cols", cols);
        if (rows.equals(cols)) {
            throw new BadParameter("cols", "must differ from rows");
        }
        ViewFilter filter = ViewFilter.of(parameters);
        return read(parameters, () -> {
            MapSqlParameterSource sql = new MapSqlParameterSource();
            String condition = filter.condition(sql);
            Map<List<String>, CellBuilder> cells = new TreeMap<>((a, b) ->
                    a.get(0).equals(b.get(0)) ? a.get(1).compareTo(b.get(1)) : a.get(0).compareTo(b.get(0)));
            jdbc.query("""
                    SELECT r, c, state, planned_currency, committed_currency, spent_currency, count(*) AS activities,
                           sum(planned_amount) AS planned, sum(committed_amount) AS committed,
                           sum(amount_spent) AS spent
                    FROM (SELECT DISTINCT %s AS r, %s AS c, v.id, v.state, v.planned_amount, v.planned_currency,
                                 v.committed_amount, v.committed_currency, v.amount_spent, v.spent_currency
                          FROM activity_scope s JOIN activity_view v ON v.id = s.activity_id
                          WHERE true %s) cells
                    GROUP BY r, c, state, planned_currency, committed_currency, spent_currency
                    """.formatted(rowColumn, colColumn, condition), sql, row -> {
                        CellBuilder cell = cells.computeIfAbsent(List.of(row.getString("r"), row.getString("c")),
                                key -> new CellBuilder());
                        cell.add(row);
                    });
            List<Cell> result = new ArrayList<>();
            Set<String> rowKeys = new TreeSet<>();
            Set<String> colKeys = new TreeSet<>();
            cells.forEach((key, cell) -> {
                rowKeys.add(key.get(0));
                colKeys.add(key.get(1));
                result.add(cell.build(key.get(0), key.get(1)));
            });
            return new Matrix(rows, cols, List.copyOf(rowKeys), List.copyOf(colKeys), result, freshness());
        });
    }

    @GetMapping("/api/convergence/duplications")
    Duplications duplications(@RequestParam Map<String, String> parameters) {
        ViewFilter filter = ViewFilter.of(parameters);
        return read(parameters, () -> {
            List<PairEntry> pairs = pairs("DUPLICATION", filter);
            return new Duplications(pairs, clusters(pairs), freshness());
        });
    }

    @GetMapping("/api/convergence/joint")
    Joint joint(@RequestParam Map<String, String> parameters) {
        ViewFilter filter = ViewFilter.of(parameters);
        return read(parameters, () -> {
            MapSqlParameterSource sql = new MapSqlParameterSource();
            String condition = filter.condition(sql);
            Map<String, List<JointActivity>> byAxis = new TreeMap<>();
            Map<String, List<PartnerRef>> partners = new HashMap<>();
            jdbc.query("""
                    SELECT p.activity_id, p.agency, p.role FROM activity_partner p
                    WHERE p.activity_id IN (SELECT s.activity_id FROM activity_scope s
                                            JOIN activity_view v ON v.id = s.activity_id WHERE true %s)
                    ORDER BY p.activity_id, p.agency, p.role
                    """.formatted(condition), sql, row -> {
                        partners.computeIfAbsent(row.getString("activity_id"), id -> new ArrayList<>())
                                .add(new PartnerRef(row.getString("agency"), row.getString("role")));
                    });
            jdbc.query("""
                    SELECT DISTINCT s.axis, v.id, v.lead_agency, v.title, v.state
                    FROM activity_scope s JOIN activity_view v ON v.id = s.activity_id
                    WHERE EXISTS (SELECT 1 FROM activity_partner p WHERE p.activity_id = v.id) %s
                    ORDER BY s.axis, v.id
                    """.formatted(condition), sql, row -> {
                        String id = row.getString("id");
                        byAxis.computeIfAbsent(row.getString("axis"), axis -> new ArrayList<>())
                                .add(new JointActivity(id, row.getString("lead_agency"), row.getString("title"),
                                        row.getString("state"), partners.getOrDefault(id, List.of())));
                    });
            List<JointAxis> axes = new ArrayList<>();
            byAxis.forEach((axis, activities) -> axes.add(new JointAxis(axis, activities)));
            return new Joint(axes, pairs("JOINT", filter), freshness());
        });
    }

    @GetMapping("/api/convergence/gaps")
    Gaps gaps(@RequestParam Map<String, String> parameters) {
        ViewFilter filter = ViewFilter.of(parameters);
        List<String> covering = filter.states().isEmpty() ? COVERING
                : filter.states().stream().map(Enum::name).toList();
        ViewFilter occupancy = new ViewFilter(filter.from(), filter.to(), filter.axes(), filter.regions(),
                filter.agencies(), filter.targetGroups(), covering.stream().map(ActivityState::valueOf).toList());
        return read(parameters, () -> {
            MapSqlParameterSource sql = new MapSqlParameterSource();
            Set<List<String>> occupied = new java.util.HashSet<>();
            Map<String, List<String>> national = new HashMap<>();
            jdbc.query("""
                    SELECT DISTINCT s.axis, s.region, v.id FROM activity_scope s
                    JOIN activity_view v ON v.id = s.activity_id WHERE true %s
                    """.formatted(conditionWithoutRegion(occupancy, sql)), sql, row -> {
                        String region = row.getString("region");
                        if (Regions.NATIONAL.equals(region)) {
                            national.computeIfAbsent(row.getString("axis"), axis -> new ArrayList<>())
                                    .add(row.getString("id"));
                        } else {
                            occupied.add(List.of(row.getString("axis"), region));
                        }
                    });
            List<String> axes = filter.axes().isEmpty()
                    ? jdbc.queryForList("SELECT code FROM axis ORDER BY code", Map.of(), String.class)
                    : filter.axes();
            List<String> regions = Regions.ALL.stream().filter(region -> !Regions.NATIONAL.equals(region))
                    .filter(region -> filter.regions().isEmpty() || filter.regions().contains(region)).toList();
            List<Gap> gaps = new ArrayList<>();
            for (String axis : axes) {
                for (String region : regions) {
                    if (!occupied.contains(List.of(axis, region))) {
                        List<String> nationwide = new ArrayList<>(national.getOrDefault(axis, List.of()));
                        nationwide.sort(null);
                        gaps.add(new Gap(axis, region, nationwide));
                    }
                }
            }
            return new Gaps(covering, gaps, freshness());
        });
    }

    @GetMapping("/api/convergence/progress")
    ProgressReport progress(@RequestParam Map<String, String> parameters) {
        ViewFilter filter = ViewFilter.of(parameters);
        return read(parameters, () -> new ProgressReport(progressBy("s.axis", filter),
                progressBy("v.lead_agency", filter), freshness()));
    }

    private List<Progress> progressBy(String keyColumn, ViewFilter filter) {
        MapSqlParameterSource sql = new MapSqlParameterSource();
        String scoped = """
                SELECT DISTINCT %s AS k, v.id, v.state, v.committed_on, v.started_on, v.completed_on,
                       v.beneficiaries_reached, v.committed_amount, v.committed_currency, v.amount_spent,
                       v.spent_currency
                FROM activity_scope s JOIN activity_view v ON v.id = s.activity_id WHERE true %s
                """.formatted(keyColumn, filter.condition(sql));
        Map<String, Map<String, Execution>> execution = new HashMap<>();
        jdbc.query("""
                SELECT k, committed_currency AS currency, sum(committed_amount) AS committed,
                       sum(amount_spent) FILTER (WHERE spent_currency = committed_currency) AS spent,
                       sum(committed_amount) FILTER (WHERE completed_on IS NOT NULL) AS committed_of_completed
                FROM (%s) x WHERE committed_currency IS NOT NULL AND state <> 'CANCELLED'
                GROUP BY k, committed_currency
                """.formatted(scoped), sql, row -> {
                    BigDecimal spent = zeroIfNull(row.getBigDecimal("spent"));
                    BigDecimal ofCompleted = zeroIfNull(row.getBigDecimal("committed_of_completed"));
                    execution.computeIfAbsent(row.getString("k"), key -> new TreeMap<>()).put(
                            row.getString("currency"), new Execution(row.getBigDecimal("committed"), spent,
                                    ofCompleted, ratio(spent, ofCompleted)));
                });
        return jdbc.query("""
                SELECT k, count(*) AS activities, count(committed_on) AS committed, count(started_on) AS started,
                       count(completed_on) AS completed,
                       count(*) FILTER (WHERE state = 'SUSPENDED') AS suspended,
                       count(*) FILTER (WHERE state = 'CANCELLED') AS cancelled,
                       coalesce(sum(beneficiaries_reached), 0) AS beneficiaries
                FROM (%s) x GROUP BY k ORDER BY k
                """.formatted(scoped), sql, (row, n) -> {
                    Map<String, Long> reached = new LinkedHashMap<>();
                    reached.put("PROPOSED", row.getLong("activities"));
                    reached.put("COMMITTED", row.getLong("committed"));
                    reached.put("STARTED", row.getLong("started"));
                    reached.put("COMPLETED", row.getLong("completed"));
                    reached.put("SUSPENDED", row.getLong("suspended"));
                    reached.put("CANCELLED", row.getLong("cancelled"));
                    return new Progress(row.getString("k"), row.getLong("activities"), reached,
                            ratio(BigDecimal.valueOf(row.getLong("completed")),
                                    BigDecimal.valueOf(row.getLong("started"))),
                            execution.getOrDefault(row.getString("k"), Map.of()), row.getLong("beneficiaries"));
                });
    }

    private List<PairEntry> pairs(String kind, ViewFilter filter) {
        MapSqlParameterSource sql = new MapSqlParameterSource("kind", kind).addValue("limit", MAX_PAIRS);
        StringBuilder condition = new StringBuilder();
        overlaps(condition, sql, "p.shared_axes", "axes", filter.axes());
        overlaps(condition, sql, "p.shared_regions", "regions", filter.regions());
        overlaps(condition, sql, "p.shared_groups", "targetGroups", filter.targetGroups());
        if (!filter.agencies().isEmpty()) {
            condition.append(" AND (a.lead_agency IN (:agencies) OR b.lead_agency IN (:agencies))");
            sql.addValue("agencies", filter.agencies());
        }
        if (!filter.states().isEmpty()) {
            condition.append(" AND (a.state IN (:states) OR b.state IN (:states))");
            sql.addValue("states", filter.states().stream().map(Enum::name).toList());
        }
        if (filter.from() != null) {
            condition.append(" AND p.overlap_end >= :from");
            sql.addValue("from", filter.from());
        }
        if (filter.to() != null) {
            condition.append(" AND p.overlap_start <= :to");
            sql.addValue("to", filter.to());
        }
        return jdbc.query("""
                SELECT p.*, a.lead_agency AS a_lead, a.title AS a_title, a.state AS a_state,
                       coalesce(a.started_on, a.planned_start) AS a_start,
                       coalesce(a.completed_on, a.planned_end) AS a_end,
                       b.lead_agency AS b_lead, b.title AS b_title, b.state AS b_state,
                       coalesce(b.started_on, b.planned_start) AS b_start,
                       coalesce(b.completed_on, b.planned_end) AS b_end
                FROM convergence_pair p
                JOIN activity_view a ON a.id = p.activity_a
                JOIN activity_view b ON b.id = p.activity_b
                WHERE p.kind = :kind %s
                ORDER BY p.score DESC, p.activity_a, p.activity_b
                LIMIT :limit
                """.formatted(condition), sql, (row, n) -> pairEntry(row, kind));
    }

    private static PairEntry pairEntry(ResultSet row, String kind) throws SQLException {
        ActivityRef first = new ActivityRef(row.getString("activity_a"), row.getString("a_lead"),
                row.getString("a_title"), row.getString("a_state"), row.getObject("a_start", LocalDate.class),
                row.getObject("a_end", LocalDate.class));
        ActivityRef second = new ActivityRef(row.getString("activity_b"), row.getString("b_lead"),
                row.getString("b_title"), row.getString("b_state"), row.getObject("b_start", LocalDate.class),
                row.getObject("b_end", LocalDate.class));
        List<String> axes = strings(row.getArray("shared_axes"));
        List<String> regions = strings(row.getArray("shared_regions"));
        List<String> groups = strings(row.getArray("shared_groups"));
        LocalDate start = row.getObject("overlap_start", LocalDate.class);
        LocalDate end = row.getObject("overlap_end", LocalDate.class);
        long days = row.getLong("overlap_days");
        List<String> reasons = List.of(
                "both work on " + String.join(", ", axes) + " in " + String.join(", ", regions) + " for "
                        + String.join(", ", groups),
                "their periods overlap for " + days + " days, " + start + " to " + end,
                "DUPLICATION".equals(kind)
                        ? "neither " + first.leadAgency() + " nor " + second.leadAgency()
                                + " is named as a partner on the other's activity"
                        : first.leadAgency() + " and " + second.leadAgency() + " declared each other as partners");
        return new PairEntry(first, second, axes, regions, groups, start, end, days, row.getBigDecimal("score"),
                reasons);
    }

    /** Activities linked by likely duplications, as connected groups: one cluster can span several agencies. */
    static List<Cluster> clusters(List<PairEntry> pairs) {
        Map<String, String> parent = new HashMap<>();
        Map<String, String> agencies = new HashMap<>();
        for (PairEntry pair : pairs) {
            agencies.put(pair.first().id(), pair.first().leadAgency());
            agencies.put(pair.second().id(), pair.second().leadAgency());
            parent.put(root(parent, pair.first().id()), root(parent, pair.second().id()));
        }
        Map<String, Set<String>> members = new TreeMap<>();
        agencies.keySet().forEach(id -> members.computeIfAbsent(root(parent, id), r -> new TreeSet<>()).add(id));
        Map<String, Integer> pairCount = new HashMap<>();
        pairs.forEach(pair -> pairCount.merge(root(parent, pair.first().id()), 1, Integer::sum));
        List<Cluster> clusters = new ArrayList<>();
        members.forEach((root, ids) -> clusters.add(new Cluster(List.copyOf(ids),
                ids.stream().map(agencies::get).distinct().sorted().toList(), pairCount.getOrDefault(root, 0))));
        clusters.sort((a, b) -> b.activities().size() != a.activities().size()
                ? b.activities().size() - a.activities().size() : a.activities().get(0).compareTo(b.activities().get(0)));
        return clusters;
    }

    private static String root(Map<String, String> parent, String id) {
        String node = id;
        while (parent.containsKey(node) && !parent.get(node).equals(node)) {
            node = parent.get(node);
        }
        parent.putIfAbsent(node, node);
        return node;
    }

    private static void overlaps(StringBuilder condition, MapSqlParameterSource sql, String column, String name,
                                 List<String> values) {
        if (!values.isEmpty()) {
            condition.append(" AND ").append(column).append(" && ARRAY[:").append(name).append("]::text[]");
            sql.addValue(name, values);
        }
    }

    /** National activities are reported beside each gap, so the region filter must not drop them. */
    private static String conditionWithoutRegion(ViewFilter filter, MapSqlParameterSource sql) {
        ViewFilter everywhere = new ViewFilter(filter.from(), filter.to(), filter.axes(), List.of(),
                filter.agencies(), filter.targetGroups(), filter.states());
        return everywhere.condition(sql);
    }

    private static String dimension(String parameter, String name) {
        String column = DIMENSIONS.get(name);
        if (column == null) {
            throw new BadParameter(parameter, "must be one of axis, region, agency, targetGroup, not '" + name + "'");
        }
        return column;
    }

    private Freshness freshness() {
        return position.of(Projections.ACTIVITY_VIEW)
                .map(at -> new Freshness(at.globalSequence(), at.eventTime()))
                .orElse(new Freshness(null, null));
    }

    private static BigDecimal ratio(BigDecimal part, BigDecimal whole) {
        return whole.signum() == 0 ? null : part.divide(whole, 4, RoundingMode.HALF_UP);
    }

    private static BigDecimal zeroIfNull(BigDecimal value) {
        return value == null ? BigDecimal.ZERO : value;
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }

    /** Folds the grouped rows of one matrix cell: counts by state, money per currency (cancelled adds none). */
    private static final class CellBuilder {
        private long activities;
        private final Map<String, Long> byState = new TreeMap<>();
        private final Map<String, BigDecimal> planned = new TreeMap<>();
        private final Map<String, BigDecimal> committed = new TreeMap<>();
        private final Map<String, BigDecimal> spent = new TreeMap<>();

        void add(ResultSet row) throws SQLException {
            long count = row.getLong("activities");
            String state = row.getString("state");
            activities += count;
            byState.merge(state, count, Long::sum);
            if (ActivityState.CANCELLED.name().equals(state)) {
                return;
            }
            addMoney(planned, row.getString("planned_currency"), row.getBigDecimal("planned"));
            addMoney(committed, row.getString("committed_currency"), row.getBigDecimal("committed"));
            addMoney(spent, row.getString("spent_currency"), row.getBigDecimal("spent"));
        }

        Cell build(String row, String col) {
            return new Cell(row, col, activities, byState, new Budget(planned, committed, spent));
        }

        private static void addMoney(Map<String, BigDecimal> sums, String currency, BigDecimal amount) {
            if (currency != null && amount != null) {
                sums.merge(currency, amount, BigDecimal::add);
            }
        }
    }
}
