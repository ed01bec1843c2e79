package org.convergenceledger.query.convergence;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.convergenceledger.query.projection.ProjectionPosition;
import org.convergenceledger.query.projection.Projections;
import org.convergenceledger.query.system.BadParameter;
import org.convergenceledger.query.system.ReadSnapshot;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * GET /api/convergence/closed-periods: the reporting periods the steering committee closed, and for each the
 * corrections made to it since — facts dated inside it, of the agency it was closed for (or of any, for a period
 * closed for all), recorded after the closing with correction: true and a reason.
 */
@RestController
class ClosedPeriodsController {

    record Correction(String activityId, String eventType, long globalSequence, LocalDate datedOn, String reason,
                      String recordedBy, Instant recordedAt) {
    }

    record Period(String periodId, String agency, LocalDate from, LocalDate to, String reason, String closedBy,
                  Instant closedAt, List<Correction> corrections) {
    }

    record ClosedPeriodsJson(List<Period> periods, Long asOfSequence) {
    }

    private final JdbcTemplate jdbc;
    private final ReadSnapshot snapshot;
    private final ProjectionPosition position;

    ClosedPeriodsController(JdbcTemplate jdbc, ReadSnapshot snapshot, ProjectionPosition position) {
        this.jdbc = jdbc;
        this.snapshot = snapshot;
        this.position = position;
    }

    @GetMapping("/api/convergence/closed-periods")
    ClosedPeriodsJson closedPeriods(@RequestParam(required = false) String agency) {
        if (agency != null && !agency.matches("[A-Z][A-Z0-9_]{1,31}")) {
            throw new BadParameter("agency", "must be an agency code");
        }
        return snapshot.read(() -> new ClosedPeriodsJson(periods(agency),
                position.asOfSequence(Projections.AUDIT_HISTORY)));
    }

    /** An agency's periods are its own and those closed for all. */
    private List<Period> periods(String agency) {
        Map<String, Period> periods = new LinkedHashMap<>();
        jdbc.query("""
                SELECT p.period_id, p.agency, p.date_from, p.date_to, p.reason, p.closed_by, p.closed_at,
                       e.activity_id, e.event_type, e.global_sequence, e.dated_on, e.correction_reason,
                       e.recorded_by, e.recorded_at
                FROM closed_period p
                LEFT JOIN activity_event e ON e.correction_reason IS NOT NULL
                     AND e.dated_on BETWEEN p.date_from AND p.date_to AND e.recorded_at > p.closed_at
                     AND (p.agency IS NULL OR split_part(e.activity_id, ':', 1) = p.agency)
                WHERE ?::text IS NULL OR p.agency IS NULL OR p.agency = ?
                ORDER BY p.date_from, p.period_id, e.global_sequence
                """, row -> {
                    String id = row.getString("period_id");
                    Period period = periods.get(id);
                    if (period == null) {
                        period = new Period(id, row.getString("agency"), row.getObject("date_from", LocalDate.class),
                                row.getObject("date_to", LocalDate.class), row.getString("reason"),
                                row.getString("closed_by"), instant(row, "closed_at"), new ArrayList<>());
                        periods.put(id, period);
                    }
                    if (row.getString("activity_id") != null) {
                        period.corrections().add(new Correction(row.getString("activity_id"),
                                row.getString("event_type"), row.getLong("global_sequence"),
                                row.getObject("dated_on", LocalDate.class), row.getString("correction_reason"),
                                row.getString("recorded_by"), instant(row, "recorded_at")));
                    }
                }, agency, agency);
        return List.copyOf(periods.values());
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        return row.getObject(column, OffsetDateTime.class).toInstant();
    }
}
