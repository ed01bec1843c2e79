package org.convergenceledger.query.iati;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.convergenceledger.events.agency.AgencyKind;
import org.convergenceledger.events.common.ActivityState;
import org.convergenceledger.events.common.Money;
import org.convergenceledger.events.common.Partner;
import org.convergenceledger.events.common.PartnerRole;
import org.convergenceledger.events.common.Period;
import org.convergenceledger.query.activity.PlannedByYear;
import org.convergenceledger.query.convergence.ViewFilter;
import org.convergenceledger.query.projection.Moment;
import org.convergenceledger.query.system.Sql;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * What the export reads, in one snapshot: the activity versions the convergence reads would count for the same
 * filter at the same moment (live: the current ones), in id order, a few hundred rows at a time; and the agencies
 * and axes that name them.
 */
final class IatiExportQueries {

    /** Rows fetched per round trip: the export streams, it never holds the ledger in memory. */
    private static final int FETCH_SIZE = 500;

    private final NamedParameterJdbcTemplate jdbc;

    IatiExportQueries(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Hands each activity to {@code write} as it is read; returns how many there were. */
    long activities(ViewFilter filter, Moment moment, Consumer<ExportedActivity> write) {
        MapSqlParameterSource sql = new MapSqlParameterSource();
        String where = moment.versions("v", sql) + filter.condition(sql);
        // The history keeps each version's title but not its description: at a past moment the writer repeats the
        // title instead of passing today's text off as the text of then.
        String description = moment.live() ? "d.description" : "NULL::text";
        String join = moment.live() ? "LEFT JOIN activity_view d ON d.id = v.activity_id" : "";
        JdbcTemplate streaming = new JdbcTemplate(jdbc.getJdbcTemplate().getDataSource());
        streaming.setFetchSize(FETCH_SIZE);
        long[] count = {0};
        new NamedParameterJdbcTemplate(streaming).query("""
                SELECT v.activity_id, v.lead_agency, v.title, %s AS description, v.state, v.axes, v.regions,
                       v.target_groups, %s, v.planned_start, v.planned_end, v.planned_amount, v.planned_currency,
                       v.planned_by_year,
                       v.committed_amount, v.committed_currency, v.committed_on, v.started_on, v.completed_on,
                       v.amount_spent, v.spent_currency, v.recorded_from
                FROM activity_version v %s %s
                WHERE %s
                ORDER BY v.activity_id
                """.formatted(description, PARTNER_COLUMNS, join, partners(moment), where), sql,
                (RowCallbackHandler) row -> {
                    count[0]++;
                    write.accept(activity(row));
                });
        return count[0];
    }

    private static final String PARTNER_COLUMNS = "p.partner_agencies, p.partner_roles";

    /**
     * The partners written as participating organisations, as two arrays in the same order: those the lead named and
     * the named agency has not contested (CLAIMED or CONFIRMED) — in IATI the reporting organisation declares its
     * partners; a partner that disputes the claim is not published as one. Live from activity_partner; at a past
     * moment, the named partners the version held then.
     */
    private static String partners(Moment moment) {
        if (moment.live()) {
            return """
                    LEFT JOIN LATERAL (SELECT array_agg(ap.agency ORDER BY ap.agency, ap.role) AS partner_agencies,
                                              array_agg(ap.role ORDER BY ap.agency, ap.role) AS partner_roles
                                       FROM activity_partner ap WHERE ap.activity_id = v.activity_id
                                         AND ap.status IN ('CLAIMED', 'CONFIRMED')) p ON true""";
        }
        return """
                LEFT JOIN LATERAL (SELECT array_agg(u.agency ORDER BY u.agency, u.role) AS partner_agencies,
                                          array_agg(u.role ORDER BY u.agency, u.role) AS partner_roles
                                   FROM unnest(v.partner_agencies, v.partner_roles, v.partner_statuses)
                                        AS u(agency, role, status)
                                   WHERE u.status IN ('CLAIMED', 'CONFIRMED')) p ON true""";
    }

    Map<String, Organisation> agencies() {
        Map<String, Organisation> agencies = new HashMap<>();
        jdbc.getJdbcTemplate().query("SELECT code, name, kind FROM agency", (RowCallbackHandler) row -> {
            String kind = row.getString("kind");
            agencies.put(row.getString("code"), new Organisation(row.getString("code"), row.getString("name"),
                    kind == null ? null : AgencyKind.valueOf(kind)));
        });
        return agencies;
    }

    Map<String, String> axisTitles() {
        Map<String, String> titles = new HashMap<>();
        jdbc.getJdbcTemplate().query("SELECT code, title FROM axis",
                (RowCallbackHandler) row -> titles.put(row.getString("code"), row.getString("title")));
        return titles;
    }

    private static ExportedActivity activity(ResultSet row) throws SQLException {
        LocalDate start = row.getObject("planned_start", LocalDate.class);
        LocalDate end = row.getObject("planned_end", LocalDate.class);
        return new ExportedActivity(row.getString("activity_id"), row.getString("lead_agency"), row.getString("title"),
                row.getString("description"), ActivityState.valueOf(row.getString("state")),
                Sql.strings(row.getArray("axes")), Sql.strings(row.getArray("regions")),
                Sql.strings(row.getArray("target_groups")), partners(row),
                start == null && end == null ? null : new Period(start, end),
                money(row.getBigDecimal("planned_amount"), row.getString("planned_currency")),
                PlannedByYear.parts(row.getString("planned_by_year")),
                money(row.getBigDecimal("committed_amount"), row.getString("committed_currency")),
                row.getObject("committed_on", LocalDate.class), row.getObject("started_on", LocalDate.class),
                row.getObject("completed_on", LocalDate.class),
                money(row.getBigDecimal("amount_spent"), row.getString("spent_currency")),
                row.getObject("recorded_from", OffsetDateTime.class).toInstant());
    }

    private static List<Partner> partners(ResultSet row) throws SQLException {
        List<String> agencies = Sql.strings(row.getArray("partner_agencies"));
        List<String> roles = Sql.strings(row.getArray("partner_roles"));
        List<Partner> partners = new ArrayList<>(agencies.size());
        for (int i = 0; i < agencies.size(); i++) {
            String role = roles.get(i);
            partners.add(new Partner(agencies.get(i),
                    role == null || role.isEmpty() ? null : PartnerRole.valueOf(role)));
        }
        return partners;
    }

    private static Money money(BigDecimal amount, String currency) {
        return amount == null || currency == null ? null : new Money(amount, currency);
    }
}
