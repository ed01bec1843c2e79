package org.convergenceledger.query.convergence;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.convergenceledger.events.common.ActivityState;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Keeps activity_scope and convergence_pair in step with one activity, in the transaction of the event that
 * changed it. Only that activity's rows are touched: its cells are rewritten, and its pairs are found again by an
 * index lookup of the activities sharing one of its cells, then judged by {@link PairRules}. A pair depends on both
 * activities, and whichever of the two changes recomputes it.
 */
@Component
public class ConvergenceIndex {

    private final JdbcTemplate jdbc;
    private final ConvergenceChanges changes;

    ConvergenceIndex(JdbcTemplate jdbc, ConvergenceChanges changes) {
        this.jdbc = jdbc;
        this.changes = changes;
    }

    /**
     * @param before the activity's scope before the event, null for a proposal
     * @param after  its scope after it
     */
    public void update(ActivityScope before, ActivityScope after) {
        if (before != null && before.sameFootprintAs(after)) {
            // A change of state that moves no date, cell or partner leaves every pair as it was.
            changes.record(after, false);
            return;
        }
        ActivityScope scope = after;
        jdbc.update("DELETE FROM activity_scope WHERE activity_id = ?", scope.id());
        List<Object[]> cells = new ArrayList<>();
        for (String axis : scope.axes()) {
            for (String region : scope.regions()) {
                for (String group : scope.targetGroups()) {
                    cells.add(new Object[] {scope.id(), axis, region, group, scope.leadAgency(), scope.start(),
                            scope.end(), scope.occupiesItsCells()});
                }
            }
        }
        jdbc.batchUpdate("""
                INSERT INTO activity_scope (activity_id, axis, region, target_group, lead_agency, period_start,
                    period_end, occupying) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, cells);
        int removed = jdbc.update("DELETE FROM convergence_pair WHERE activity_a = ? OR activity_b = ?",
                scope.id(), scope.id());
        List<PairRules.Pair> pairs = scope.occupiesItsCells() ? pairsOf(scope) : List.of();
        jdbc.batchUpdate("""
                INSERT INTO convergence_pair (activity_a, activity_b, kind, shared_axes, shared_regions,
                    shared_groups, overlap_start, overlap_end, overlap_days, score)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, pairs, 100, (statement, pair) -> {
                    statement.setString(1, pair.a());
                    statement.setString(2, pair.b());
                    statement.setString(3, pair.kind().name());
                    statement.setArray(4, statement.getConnection().createArrayOf("text", pair.sharedAxes().toArray()));
                    statement.setArray(5,
                            statement.getConnection().createArrayOf("text", pair.sharedRegions().toArray()));
                    statement.setArray(6,
                            statement.getConnection().createArrayOf("text", pair.sharedGroups().toArray()));
                    statement.setObject(7, pair.overlapStart());
                    statement.setObject(8, pair.overlapEnd());
                    statement.setLong(9, pair.overlapDays());
                    statement.setBigDecimal(10, pair.score());
                });
        changes.record(scope, removed > 0 || !pairs.isEmpty());
    }

    private List<PairRules.Pair> pairsOf(ActivityScope scope) {
        List<ActivityScope> neighbours = jdbc.query("""
                SELECT v.id, v.lead_agency, v.state, v.axes, v.regions, v.target_groups,
                       coalesce(v.started_on, v.planned_start) AS effective_start,
                       coalesce(v.completed_on, v.planned_end) AS effective_end,
                       coalesce((SELECT array_agg(DISTINCT p.agency) FROM activity_partner p
                                 WHERE p.activity_id = v.id), '{}') AS partner_agencies
                FROM (SELECT DISTINCT activity_id FROM (
                        SELECT other.activity_id
                        FROM activity_scope mine
                        JOIN activity_scope other ON other.axis = mine.axis AND other.region = mine.region
                                                 AND other.target_group = mine.target_group
                                                 AND other.lead_agency < mine.lead_agency
                                                 AND other.period_start <= mine.period_end
                        WHERE mine.activity_id = ? AND other.period_end >= mine.period_start AND other.occupying
                        UNION ALL
                        SELECT other.activity_id
                        FROM activity_scope mine
                        JOIN activity_scope other ON other.axis = mine.axis AND other.region = mine.region
                                                 AND other.target_group = mine.target_group
                                                 AND other.lead_agency > mine.lead_agency
                                                 AND other.period_start <= mine.period_end
                        WHERE mine.activity_id = ? AND other.period_end >= mine.period_start AND other.occupying
                      ) other_agencies) candidate
                JOIN activity_view v ON v.id = candidate.activity_id
                """, ConvergenceIndex::scope, scope.id(), scope.id());
        List<PairRules.Pair> pairs = new ArrayList<>();
        neighbours.forEach(other -> PairRules.pair(scope, other).ifPresent(pairs::add));
        return pairs;
    }

    static ActivityScope scope(ResultSet rs, int row) throws SQLException {
        return ActivityScope.of(rs.getString("id"), rs.getString("lead_agency"),
                ActivityState.valueOf(rs.getString("state")), strings(rs.getArray("axes")),
                strings(rs.getArray("regions")), strings(rs.getArray("target_groups")),
                rs.getObject("effective_start", java.time.LocalDate.class),
                rs.getObject("effective_end", java.time.LocalDate.class),
                Set.copyOf(strings(rs.getArray("partner_agencies"))));
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }
}
