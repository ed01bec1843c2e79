package org.convergenceledger.query.system;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Small conversions for JDBC parameters. */
public final class Sql {

    private Sql() {
    }

    // The driver binds OffsetDateTime as timestamptz; a java.sql.Timestamp would go through the JVM's time zone.
    public static OffsetDateTime timestamptz(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
