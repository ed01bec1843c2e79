package org.convergenceledger.query.activity;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.convergenceledger.events.common.ActivityState;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** The current activities, read: one by id, or a filtered page. */
@Repository
class ActivityViewRepository {

    record Filter(String agency, String axis, String region, ActivityState state) {
    }

    record Page(List<ActivityView> items, long total) {
    }

    private final NamedParameterJdbcTemplate jdbc;

    ActivityViewRepository(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Optional<ActivityView> find(String id) {
        return jdbc.query(ActivityViewTables.WITH_PARTNERS + " WHERE a.id = :id", new MapSqlParameterSource("id", id),
                (rs, row) -> ActivityRows.view(rs)).stream().findFirst();
    }

    Page search(Filter filter, int page, int size) {
        MapSqlParameterSource parameters = new MapSqlParameterSource();
        // An activity that moved is listed under its new identifier only.
        List<String> conditions = new ArrayList<>(List.of("a.moved_to IS NULL"));
        if (filter.agency() != null) {
            // An agency's activities are those it leads and those it is named on (whatever it answered).
            conditions.add("(a.lead_agency = :agency OR EXISTS (SELECT 1 FROM activity_partner p"
                    + " WHERE p.activity_id = a.id AND p.agency = :agency"
                    + " AND p.status IN ('CLAIMED', 'CONFIRMED', 'CONTESTED')))");
            parameters.addValue("agency", filter.agency());
        }
        if (filter.axis() != null) {
            conditions.add("a.axes @> ARRAY[CAST(:axis AS text)]");
            parameters.addValue("axis", filter.axis());
        }
        if (filter.region() != null) {
            conditions.add("a.regions @> ARRAY[CAST(:region AS text)]");
            parameters.addValue("region", filter.region());
        }
        if (filter.state() != null) {
            conditions.add("a.state = :state");
            parameters.addValue("state", filter.state().name());
        }
        String where = " WHERE " + String.join(" AND ", conditions);
        Long total = jdbc.queryForObject("SELECT count(*) FROM activity_view a" + where, parameters, Long.class);
        parameters.addValue("limit", size).addValue("offset", (long) page * size);
        List<ActivityView> views = jdbc.query(ActivityViewTables.WITH_PARTNERS + where
                + " ORDER BY a.id LIMIT :limit OFFSET :offset", parameters, (rs, row) -> ActivityRows.view(rs));
        return new Page(views, total == null ? 0 : total);
    }
}
