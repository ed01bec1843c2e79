package org.convergenceledger.query.convergence;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.convergenceledger.events.common.ActivityState;
import org.convergenceledger.query.system.ProjectionPosition;
import org.convergenceledger.query.system.Projections;
import org.convergenceledger.query.system.ReadSnapshot;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
class ConvergenceController {

    record AxisSummary(
            String code,
            String title,
            Map<String, Long> activitiesByState,
            Map<String, Long> activitiesByAgency,
            Map<String, BigDecimal> plannedBudget,
            Map<String, BigDecimal> committedBudget,
            Map<String, BigDecimal> amountSpent) {
    }

    record ConvergenceAxes(List<AxisSummary> axes, Long asOfSequence, Instant lastEventAt) {
    }

    record AxisJson(String code, String title, String description) {
    }

    record Axes(List<AxisJson> items, Long asOfSequence) {
    }

    private final JdbcTemplate jdbc;
    private final ProjectionPosition position;
    private final ReadSnapshot snapshot;

    ConvergenceController(JdbcTemplate jdbc, ProjectionPosition position, ReadSnapshot snapshot) {
        this.jdbc = jdbc;
        this.position = position;
        this.snapshot = snapshot;
    }

    @GetMapping("/api/convergence/axes")
    ConvergenceAxes axes() {
        return snapshot.read(this::readSummary);
    }

    @GetMapping("/api/axes")
    Axes definedAxes() {
        return snapshot.read(() -> new Axes(
                jdbc.query("SELECT code, title, description FROM axis ORDER BY code", (rs, row) ->
                        new AxisJson(rs.getString("code"), rs.getString("title"), rs.getString("description"))),
                position.asOfSequence(Projections.ACTIVITY_VIEW)));
    }

    private ConvergenceAxes readSummary() {
        // Axes activities name before (or without) their definition are shown too, untitled.
        Map<String, AxisBuilder> axes = new TreeMap<>();
        jdbc.query("SELECT code, title FROM axis", rs -> {
            axis(axes, rs.getString("code")).title = rs.getString("title");
        });
        jdbc.query("SELECT axis, state, activities FROM convergence_state_count WHERE activities <> 0", rs -> {
            axis(axes, rs.getString("axis")).byState.put(rs.getString("state"), rs.getLong("activities"));
        });
        jdbc.query("SELECT axis, agency, activities FROM convergence_agency_count WHERE activities <> 0"
                + " ORDER BY agency", rs -> {
            axis(axes, rs.getString("axis")).byAgency.put(rs.getString("agency"), rs.getLong("activities"));
        });
        jdbc.query("SELECT axis, measure, currency, amount FROM convergence_budget WHERE amount <> 0"
                + " ORDER BY currency", rs -> {
            AxisBuilder axis = axis(axes, rs.getString("axis"));
            Map<String, BigDecimal> target = switch (BudgetMeasure.valueOf(rs.getString("measure"))) {
                case PLANNED -> axis.planned;
                case COMMITTED -> axis.committed;
                case SPENT -> axis.spent;
            };
            target.put(rs.getString("currency"), rs.getBigDecimal("amount"));
        });
        List<AxisSummary> summaries = new ArrayList<>();
        axes.forEach((code, axis) -> summaries.add(axis.build(code)));
        var at = position.of(Projections.ACTIVITY_VIEW);
        return new ConvergenceAxes(summaries,
                at.map(ProjectionPosition.Position::globalSequence).orElse(null),
                at.map(ProjectionPosition.Position::eventTime).orElse(null));
    }

    private static AxisBuilder axis(Map<String, AxisBuilder> axes, String code) {
        return axes.computeIfAbsent(code, c -> new AxisBuilder());
    }

    private static final class AxisBuilder {
        private String title;
        private final Map<String, Long> byState = new LinkedHashMap<>();
        private final Map<String, Long> byAgency = new LinkedHashMap<>();
        private final Map<String, BigDecimal> planned = new LinkedHashMap<>();
        private final Map<String, BigDecimal> committed = new LinkedHashMap<>();
        private final Map<String, BigDecimal> spent = new LinkedHashMap<>();

        AxisSummary build(String code) {
            // Every state is listed, zero or not, so a dashboard reads the same keys for every axis.
            Map<String, Long> states = new LinkedHashMap<>();
            for (ActivityState state : ActivityState.values()) {
                states.put(state.name(), byState.getOrDefault(state.name(), 0L));
            }
            return new AxisSummary(code, title, states, byAgency, planned, committed, spent);
        }
    }
}
