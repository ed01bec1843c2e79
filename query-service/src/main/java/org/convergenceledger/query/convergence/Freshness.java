package org.convergenceledger.query.convergence;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Who went silent: per agency, when it last recorded anything on the ledger, how many days since, and its activities
 * that are overdue — planned to start and still proposed or committed, planned to end and still started. An agency
 * is SILENT when it never reported or has been quiet for the threshold's days, LATE when it reports but has overdue
 * activities, else CURRENT.
 */
@Component
class Freshness {

    enum Status { CURRENT, LATE, SILENT }

    /** The thresholds: silent after this many days without a record; overdue this many days past a planned date. */
    record Thresholds(int silentAfterDays, int overdueAfterDays) {

        Thresholds {
            if (silentAfterDays < 1 || overdueAfterDays < 0) {
                throw new IllegalArgumentException("silentAfterDays ≥ 1 and overdueAfterDays ≥ 0");
            }
        }
    }

    record AgencyFreshness(String code, String name, String kind, Instant lastRecordedAt, Long daysSilent,
                           long eventsRecorded, long overdueToStart, long overdueToEnd, Status status) {
    }

    private final JdbcTemplate jdbc;
    private final Thresholds defaults;

    Freshness(JdbcTemplate jdbc, @Value("${ledger.query.freshness.silent-after-days:30}") int silentAfterDays,
              @Value("${ledger.query.freshness.overdue-after-days:0}") int overdueAfterDays) {
        this.jdbc = jdbc;
        this.defaults = new Thresholds(silentAfterDays, overdueAfterDays);
    }

    /** The thresholds configured for this service (ledger.query.freshness.*). */
    Thresholds defaults() {
        return defaults;
    }

    /** Every known agency, by code, as of the given instant. */
    List<AgencyFreshness> at(Instant now, Thresholds thresholds) {
        LocalDate overdueBefore = now.atOffset(ZoneOffset.UTC).toLocalDate().minusDays(thresholds.overdueAfterDays());
        return jdbc.query("""
                WITH reports AS (
                    SELECT recorded_by AS agency, max(recorded_at) AS last_recorded, count(*) AS events
                    FROM activity_event GROUP BY recorded_by),
                overdue AS (
                    SELECT lead_agency AS agency,
                           count(*) FILTER (WHERE state IN ('PROPOSED', 'COMMITTED') AND planned_start < ?) AS to_start,
                           count(*) FILTER (WHERE state = 'STARTED' AND planned_end < ?) AS to_end
                    FROM activity_view WHERE moved_to IS NULL GROUP BY lead_agency)
                SELECT a.code, a.name, a.kind, r.last_recorded, coalesce(r.events, 0) AS events,
                       coalesce(o.to_start, 0) AS to_start, coalesce(o.to_end, 0) AS to_end
                FROM agency a LEFT JOIN reports r ON r.agency = a.code LEFT JOIN overdue o ON o.agency = a.code
                ORDER BY a.code
                """, (rs, row) -> {
            OffsetDateTime last = rs.getObject("last_recorded", OffsetDateTime.class);
            Long daysSilent = last == null ? null : Duration.between(last.toInstant(), now).toDays();
            long toStart = rs.getLong("to_start");
            long toEnd = rs.getLong("to_end");
            Status status = daysSilent == null || daysSilent >= thresholds.silentAfterDays() ? Status.SILENT
                    : toStart + toEnd > 0 ? Status.LATE : Status.CURRENT;
            return new AgencyFreshness(rs.getString("code"), rs.getString("name"), rs.getString("kind"),
                    last == null ? null : last.toInstant(), daysSilent, rs.getLong("events"), toStart, toEnd, status);
        }, overdueBefore, overdueBefore);
    }
}
