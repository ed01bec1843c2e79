package org.convergenceledger.query.projection;

import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import org.convergenceledger.query.system.BadParameter;
import org.convergenceledger.query.system.Sql;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;

/**
 * When a read looks at the view: live (the current versions), or as the ledger knew it at {@code knownAt} (what it
 * had recorded by then; {@code asOf} is the same) about the state at {@code validAt} (what had happened by then, by
 * the events' occurredAt). Either may be left open: knownAt alone is "as recorded by then", validAt alone "as we now
 * know it was then". Both together: "what did we believe on 1 March about the state on 31 December".
 */
public record Moment(Instant knownAt, Instant validAt) {

    public static final Moment LIVE = new Moment(null, null);

    public boolean live() {
        return knownAt == null && validAt == null;
    }

    /** From a request's parameters: knownAt (or its alias asOf) and validAt, UTC instants. */
    public static Moment of(Map<String, String> parameters) {
        Instant asOf = instant(parameters, "asOf");
        Instant knownAt = instant(parameters, "knownAt");
        if (asOf != null && knownAt != null && !asOf.equals(knownAt)) {
            throw new BadParameter("asOf", "is another name for knownAt: give one of them, not two instants");
        }
        return new Moment(knownAt != null ? knownAt : asOf, instant(parameters, "validAt"));
    }

    /**
     * The SQL condition (without AND) that a row with ranges {prefix}recorded_from/_to and {prefix}occurred_from/_to
     * holds at this moment; for a live read, that its range is open.
     */
    public String holds(String prefix, MapSqlParameterSource sql) {
        if (live()) {
            return prefix + "recorded_to = 'infinity'";
        }
        // Typed timestamps, not text cast in SQL: the planner then folds them into the plan (measured 175 ms → 100 ms
        // for a matrix at 100,000 activities). An open end is 'infinity'.
        sql.addValue("knownAt", knownAt == null ? OffsetDateTime.MAX : Sql.timestamptz(knownAt),
                Types.TIMESTAMP_WITH_TIMEZONE);
        sql.addValue("validAt", validAt == null ? OffsetDateTime.MAX : Sql.timestamptz(validAt),
                Types.TIMESTAMP_WITH_TIMEZONE);
        return "(" + prefix + "recorded_from <= :knownAt AND " + prefix + "occurred_from <= :validAt AND NOT ("
                + prefix + "recorded_to <= :knownAt AND " + prefix + "occurred_to <= :validAt))";
    }

    /**
     * The versions of activities at this moment: live reads take the current partition alone. An activity that moved
     * to another identifier is counted under the new one only.
     */
    public String versions(String alias, MapSqlParameterSource sql) {
        return (live() ? alias + ".is_current" : holds(alias + ".", sql)) + " AND " + alias + ".moved_to IS NULL";
    }

    private static Instant instant(Map<String, String> parameters, String name) {
        String value = parameters.get(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new BadParameter(name, "must be a UTC instant such as 2025-03-31T00:00:00Z, not '" + value + "'");
        }
    }
}
