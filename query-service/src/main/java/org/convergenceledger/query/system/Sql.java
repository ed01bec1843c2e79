package org.convergenceledger.query.system;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

/** Small conversions for JDBC parameters and results. */
public final class Sql {

    /** How an open end of a time range is stored: PostgreSQL's 'infinity', later than any instant. */
    public static final String INFINITY = "infinity";

    private Sql() {
    }

    // The driver binds OffsetDateTime as timestamptz; a java.sql.Timestamp would go through the JVM's time zone.
    public static OffsetDateTime timestamptz(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    /**
     * An instant as text for CAST(? AS timestamptz), null meaning an open end ('infinity'): the same text whether a
     * row goes through a statement or through COPY.
     */
    public static String instantOrInfinity(Instant instant) {
        return instant == null ? INFINITY : instant.toString();
    }

    /** A timestamptz column read back as an instant, 'infinity' as null. */
    public static Instant instantOrNull(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null || value.equals(OffsetDateTime.MAX) ? null : value.toInstant();
    }

    public static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
