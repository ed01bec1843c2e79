package org.convergenceledger.query.agency;

import java.util.List;
import org.convergenceledger.query.projection.ProjectionPosition;
import org.convergenceledger.query.projection.Projections;
import org.convergenceledger.query.system.ReadSnapshot;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
class AgencyController {

    record AgencyJson(String code, String name, String kind) {
    }

    record Agencies(List<AgencyJson> items, Long asOfSequence) {
    }

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
                jdbc.query("SELECT code, name, kind FROM agency ORDER BY code",
                        (rs, row) -> new AgencyJson(rs.getString("code"), rs.getString("name"), rs.getString("kind"))),
                position.asOfSequence(Projections.ACTIVITY_VIEW)));
    }
}
