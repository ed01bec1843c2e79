package org.convergenceledger.query.agency;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.convergenceledger.query.projection.Moment;
import org.convergenceledger.query.projection.ProjectionPosition;
import org.convergenceledger.query.projection.Projections;
import org.convergenceledger.query.system.NotFound;
import org.convergenceledger.query.system.ReadSnapshot;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The agencies the ledger knows, and for one of them how it reports (the dashboard's agency page). */
@RestController
class AgencyController {

    record AgencyJson(String code, String name, String kind) {
    }

    record Agencies(List<AgencyJson> items, Long asOfSequence) {
    }

    /**
     * One agency and how it reports: the activity events it sent (recorded by knownAt, when given) and when the last
     * of them was recorded.
     */
    record AgencyReport(String code, String name, String kind, long eventsReported, Instant lastReportedAt,
                        Instant knownAt, Long asOfSequence) {
    }

    private static final RowMapper<AgencyJson> AGENCY = (rs, row) ->
            new AgencyJson(rs.getString("code"), rs.getString("name"), rs.getString("kind"));

    private final JdbcTemplate jdbc;
    private final ProjectionPosition position;
    private final ReadSnapshot snapshot;

    AgencyController(JdbcTemplate jdbc, ProjectionPosition position, ReadSnapshot snapshot) {
        this.jdbc = jdbc;
        this.position = position;
        this.snapshot = snapshot;
    }

    @GetMapping("/api/agencies")
    Agencies agencies() {
        return snapshot.read(() -> new Agencies(
                jdbc.query("SELECT code, name, kind FROM agency ORDER BY code", AGENCY),
                position.asOfSequence(Projections.ACTIVITY_VIEW)));
    }

    @GetMapping("/api/agencies/{code}")
    AgencyReport agency(@PathVariable String code, @RequestParam Map<String, String> parameters) {
        Moment moment = Moment.of(parameters);
        return snapshot.read(() -> {
            AgencyJson agency = jdbc.query("SELECT code, name, kind FROM agency WHERE code = ?", AGENCY, code)
                    .stream().findFirst().orElseThrow(() -> new NotFound("agency", code));
            return jdbc.queryForObject("""
                    SELECT count(*), max(recorded_at) FROM activity_event
                    WHERE recorded_by = ? AND recorded_at <= coalesce(?::timestamptz, 'infinity')
                    """, (rs, row) -> new AgencyReport(agency.code(), agency.name(), agency.kind(), rs.getLong(1),
                    Optional.ofNullable(rs.getObject(2, OffsetDateTime.class)).map(OffsetDateTime::toInstant)
                            .orElse(null),
                    moment.knownAt(), position.asOfSequence(Projections.AUDIT_HISTORY)),
                    code, moment.knownAt() == null ? null : OffsetDateTime.ofInstant(moment.knownAt(), ZoneOffset.UTC));
        });
    }
}
