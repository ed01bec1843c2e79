package org.convergenceledger.query.convergence;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.convergenceledger.events.common.ActivityState;
import org.convergenceledger.query.system.BadParameter;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;

/**
 * The filters every convergence read takes: a period (activities whose effective period overlaps it), and lists of
 * axes, regions, lead agencies, target groups and states (comma-separated; empty means all). It writes the SQL
 * condition over activity_scope {@code s} joined to activity_view {@code v}.
 */
record ViewFilter(LocalDate from, LocalDate to, List<String> axes, List<String> regions, List<String> agencies,
                  List<String> targetGroups, List<ActivityState> states) {

    private static final String CODE = "[A-Z][A-Z0-9_]{0,63}";

    static ViewFilter of(Map<String, String> parameters) {
        LocalDate from = date(parameters, "from");
        LocalDate to = date(parameters, "to");
        if (from != null && to != null && to.isBefore(from)) {
            throw new BadParameter("to", "must not be before 'from'");
        }
        return new ViewFilter(from, to, codes(parameters, "axis"), codes(parameters, "region"),
                codes(parameters, "agency"), codes(parameters, "targetGroup"), states(parameters));
    }

    /** The SQL condition (starting with AND) over s (activity_scope) and v (activity_view). */
    String condition(MapSqlParameterSource parameters) {
        StringBuilder sql = new StringBuilder();
        if (from != null) {
            sql.append(" AND coalesce(v.completed_on, v.planned_end) >= :from");
            parameters.addValue("from", from);
        }
        if (to != null) {
            sql.append(" AND coalesce(v.started_on, v.planned_start) <= :to");
            parameters.addValue("to", to);
        }
        in(sql, parameters, "s.axis", "axes", axes);
        in(sql, parameters, "s.region", "regions", regions);
        in(sql, parameters, "v.lead_agency", "agencies", agencies);
        in(sql, parameters, "s.target_group", "targetGroups", targetGroups);
        in(sql, parameters, "v.state", "states", states.stream().map(Enum::name).toList());
        return sql.toString();
    }

    private static void in(StringBuilder sql, MapSqlParameterSource parameters, String column, String name,
                           List<String> values) {
        if (!values.isEmpty()) {
            sql.append(" AND ").append(column).append(" IN (:").append(name).append(')');
            parameters.addValue(name, values);
        }
    }

    private static LocalDate date(Map<String, String> parameters, String name) {
        String value = parameters.get(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new BadParameter(name, "must be an ISO date such as 2025-03-31, not '" + value + "'");
        }
    }

    private static List<String> codes(Map<String, String> parameters, String name) {
        List<String> codes = list(parameters.get(name));
        codes.stream().filter(code -> !code.matches(CODE)).findFirst().ifPresent(code -> {
            throw new BadParameter(name, "must be codes such as WORK_LINKED_TRAINING, not '" + code + "'");
        });
        return codes;
    }

    private static List<ActivityState> states(Map<String, String> parameters) {
        return list(parameters.get("state")).stream().map(state -> {
            try {
                return ActivityState.valueOf(state);
            } catch (IllegalArgumentException e) {
                throw new BadParameter("state", "must be one of " + Arrays.toString(ActivityState.values())
                        + ", not '" + state + "'");
            }
        }).toList();
    }

    private static List<String> list(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.split(",")).map(String::strip).filter(part -> !part.isEmpty()).distinct().toList();
    }
}
