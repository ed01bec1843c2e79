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
 * axes, regions, lead agencies, target groups and states (comma-separated; empty means all); and for the reads that
 * list pairs or activities, how many at most (limit, {@value #DEFAULT_LIMIT} unless asked, at most
 * {@value #MAX_LIMIT}).
 */
public record ViewFilter(LocalDate from, LocalDate to, List<String> axes, List<String> regions, List<String> agencies,
                  List<String> targetGroups, List<ActivityState> states, int limit) {

    static final int DEFAULT_LIMIT = 200;
    static final int MAX_LIMIT = 1000;
    private static final String CODE = "[A-Z][A-Z0-9_]{0,63}";

    public static ViewFilter of(Map<String, String> parameters) {
        LocalDate from = date(parameters, "from");
        LocalDate to = date(parameters, "to");
        if (from != null && to != null && to.isBefore(from)) {
            throw new BadParameter("to", "must not be before 'from'");
        }
        return new ViewFilter(from, to, codes(parameters, "axis"), codes(parameters, "region"),
                codes(parameters, "agency"), codes(parameters, "targetGroup"), states(parameters),
                limit(parameters));
    }

    ViewFilter withStates(List<ActivityState> only) {
        return new ViewFilter(from, to, axes, regions, agencies, targetGroups, only, limit);
    }

    ViewFilter withoutRegions() {
        return new ViewFilter(from, to, axes, List.of(), agencies, targetGroups, states, limit);
    }

    private static int limit(Map<String, String> parameters) {
        String value = parameters.get("limit");
        if (value == null || value.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value.strip());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException notANumber) {
            // named below
        }
        throw new BadParameter("limit", "must be a whole number from 1 to " + MAX_LIMIT + ", not '" + value + "'");
    }

    boolean isEmpty() {
        return from == null && to == null && axes.isEmpty() && regions.isEmpty() && agencies.isEmpty()
                && targetGroups.isEmpty() && states.isEmpty();
    }

    List<String> values(Dimension dimension) {
        return switch (dimension) {
            case AXIS -> axes;
            case REGION -> regions;
            case TARGET_GROUP -> targetGroups;
            case AGENCY -> agencies;
        };
    }

    /** Whether the live counters of this pair of dimensions answer the filter: no period, no other dimension. */
    boolean answeredByCounters(Dimension one, Dimension other) {
        if (from != null || to != null) {
            return false;
        }
        for (Dimension dimension : Dimension.values()) {
            if (dimension != one && dimension != other && !values(dimension).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** The SQL condition (each part starting with AND) over the versions {@code v}, nothing unnested. */
    public String condition(MapSqlParameterSource sql) {
        return condition(sql, Map.of());
    }

    /**
     * The SQL condition (each part starting with AND) over the versions {@code v}. A dimension the query unnests into
     * rows is filtered on the unnested value (given by name in {@code unnested}), so an activity on two axes filtered
     * on one shows only under that one; the others match when any of the activity's values is in the list.
     */
    String condition(MapSqlParameterSource sql, Map<Dimension, String> unnested) {
        StringBuilder condition = new StringBuilder();
        if (from != null) {
            condition.append(" AND coalesce(v.completed_on, v.planned_end) >= :from");
            sql.addValue("from", from);
        }
        if (to != null) {
            condition.append(" AND coalesce(v.started_on, v.planned_start) <= :to");
            sql.addValue("to", to);
        }
        for (Dimension dimension : Dimension.values()) {
            List<String> values = values(dimension);
            if (values.isEmpty()) {
                continue;
            }
            String name = "filter_" + dimension.parameter;
            sql.addValue(name, values);
            if (dimension != Dimension.AGENCY) {
                // Also when the dimension is unnested: the overlap lets the current versions' GIN index find them.
                condition.append(" AND v.").append(dimension.arrayColumn).append(" && ARRAY[:").append(name)
                        .append("]::text[]");
            }
            if (unnested.containsKey(dimension)) {
                condition.append(" AND ").append(unnested.get(dimension)).append(" IN (:").append(name).append(')');
            } else if (dimension == Dimension.AGENCY) {
                condition.append(" AND v.lead_agency IN (:").append(name).append(')');
            }
        }
        if (!states.isEmpty()) {
            condition.append(" AND v.state IN (:filter_states)");
            sql.addValue("filter_states", states.stream().map(Enum::name).toList());
        }
        return condition.toString();
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

    static List<String> codes(Map<String, String> parameters, String name) {
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
