package org.convergenceledger.query.activity;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.convergenceledger.events.common.ActivityState;
import org.convergenceledger.events.common.Money;
import org.convergenceledger.events.common.Partner;
import org.convergenceledger.events.common.PartnerRole;
import org.convergenceledger.events.common.Period;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.convergenceledger.query.system.Sql;
import org.springframework.jdbc.core.SqlTypeValue;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.support.AbstractSqlTypeValue;
import org.springframework.stereotype.Repository;

@Repository
class ActivityViewRepository {

    record Filter(String agency, String axis, String region, ActivityState state) {
    }

    record Page(List<ActivityView> items, long total) {
    }

    private static final String COLUMNS = """
            id, lead_agency, title, description, state, axes, regions, target_groups, planned_start, planned_end,
            planned_amount, planned_currency, committed_amount, committed_currency, committed_on, started_on,
            completed_on, amount_spent, spent_currency, beneficiaries_reached, suspended_on, cancelled_on,
            cancel_reason, version, last_global_sequence, updated_at""";

    // The view's columns plus its partners as two arrays in the order the separate partner query used
    // (agency, role: the key, so both arrays line up); the lateral subquery exposes no other column name.
    private static final String COLUMNS_WITH_PARTNERS = COLUMNS + """
            , p.partner_agencies, p.partner_roles
            FROM activity_view a
            LEFT JOIN LATERAL (SELECT array_agg(ap.agency ORDER BY ap.agency, ap.role) AS partner_agencies,
                                      array_agg(ap.role ORDER BY ap.agency, ap.role) AS partner_roles
                               FROM activity_partner ap WHERE ap.activity_id = a.id) p ON true""";

    private static final String BATCH_VIEWS = ActivityViewRepository.class.getName() + ".batchViews";

    private final NamedParameterJdbcTemplate jdbc;

    ActivityViewRepository(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    // False when the activity is already there: the proposal was redelivered.
    boolean insertIfAbsent(ActivityView view) {
        int inserted = jdbc.update("INSERT INTO activity_view (" + COLUMNS + ") VALUES ("
                + ":id, :leadAgency, :title, :description, :state, :axes, :regions, :targetGroups,"
                + " :plannedStart, :plannedEnd, :plannedAmount, :plannedCurrency,"
                + " :committedAmount, :committedCurrency, :committedOn, :startedOn, :completedOn, :amountSpent,"
                + " :spentCurrency, :beneficiariesReached, :suspendedOn, :cancelledOn, :cancelReason, :version,"
                + " :lastGlobalSequence, :updatedAt) ON CONFLICT (id) DO NOTHING", parameters(view));
        if (inserted == 0) {
            return false;
        }
        insertPartners(view);
        // The batch's next event of this activity (its commitment, often) then reads it without a SELECT.
        rememberInBatch(view);
        return true;
    }

    void update(ActivityView before, ActivityView after) {
        jdbc.update("""
                UPDATE activity_view SET lead_agency = :leadAgency, title = :title, description = :description,
                    state = :state, axes = :axes, regions = :regions, target_groups = :targetGroups,
                    planned_start = :plannedStart, planned_end = :plannedEnd,
                    planned_amount = :plannedAmount, planned_currency = :plannedCurrency,
                    committed_amount = :committedAmount, committed_currency = :committedCurrency,
                    committed_on = :committedOn, started_on = :startedOn, completed_on = :completedOn,
                    amount_spent = :amountSpent, spent_currency = :spentCurrency,
                    beneficiaries_reached = :beneficiariesReached, suspended_on = :suspendedOn,
                    cancelled_on = :cancelledOn, cancel_reason = :cancelReason, version = :version,
                    last_global_sequence = :lastGlobalSequence, updated_at = :updatedAt
                WHERE id = :id
                """, parameters(after));
        if (!before.partners().equals(after.partners())) {
            jdbc.update("DELETE FROM activity_partner WHERE activity_id = :id", Map.of("id", after.id()));
            insertPartners(after);
        }
        // As on insert: a later event of this activity in the same batch starts from here without a SELECT.
        rememberInBatch(after);
    }

    // Locked for the change: with several segments two processors could otherwise interleave on one activity.
    Optional<ActivityView> findForUpdate(String id) {
        Map<String, ActivityView> batch = batchViews();
        ActivityView held = batch == null ? null : batch.get(id);
        if (held != null) {
            // Already locked and last written by this batch's transaction: what it wrote is what a SELECT would
            // return (partners possibly in declaration order rather than sorted, which nothing depends on).
            return Optional.of(held);
        }
        // Partners in the same statement: one round trip per event instead of two; only the view row is locked.
        Optional<ActivityView> found = jdbc.query(
                "SELECT " + COLUMNS_WITH_PARTNERS + " WHERE a.id = :id FOR UPDATE OF a",
                Map.of("id", id), ActivityViewRepository::viewWithPartners).stream().findFirst();
        found.ifPresent(ActivityViewRepository::rememberInBatch);
        return found;
    }

    /**
     * The views this processor batch has locked or written, by id, so a later event of the same activity in the
     * batch needs no SELECT; null outside a unit of work (a replay, a plain call), where every find reads the row.
     * The map lives and dies with the batch's unit of work, so a rolled-back batch leaves nothing behind.
     */
    private static Map<String, ActivityView> batchViews() {
        if (!CurrentUnitOfWork.isStarted()) {
            return null;
        }
        return CurrentUnitOfWork.get().root().getOrComputeResource(BATCH_VIEWS, key -> new HashMap<>());
    }

    private static void rememberInBatch(ActivityView view) {
        Map<String, ActivityView> batch = batchViews();
        if (batch != null) {
            batch.put(view.id(), view);
        }
    }

    Optional<ActivityView> find(String id) {
        // Same single statement as findForUpdate, without the lock.
        return jdbc.query("SELECT " + COLUMNS_WITH_PARTNERS + " WHERE a.id = :id",
                Map.of("id", id), ActivityViewRepository::viewWithPartners).stream().findFirst();
    }

    Page search(Filter filter, int page, int size) {
        MapSqlParameterSource parameters = new MapSqlParameterSource();
        List<String> conditions = new ArrayList<>();
        if (filter.agency() != null) {
            // An agency's activities are those it leads and those it takes part in.
            conditions.add("(a.lead_agency = :agency OR EXISTS (SELECT 1 FROM activity_partner p"
                    + " WHERE p.activity_id = a.id AND p.agency = :agency))");
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
        String where = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
        Long total = jdbc.queryForObject("SELECT count(*) FROM activity_view a" + where, parameters, Long.class);
        parameters.addValue("limit", size).addValue("offset", (long) page * size);
        List<ActivityView> views = jdbc.query("SELECT " + COLUMNS + " FROM activity_view a" + where
                + " ORDER BY a.id LIMIT :limit OFFSET :offset", parameters, ActivityViewRepository::view);
        return new Page(withPartners(views), total == null ? 0 : total);
    }

    private void insertPartners(ActivityView view) {
        if (view.partners().isEmpty()) {
            return;
        }
        MapSqlParameterSource[] rows = view.partners().stream()
                .map(partner -> new MapSqlParameterSource()
                        .addValue("activityId", view.id())
                        .addValue("agency", partner.agency())
                        .addValue("role", partner.role() == null ? null : partner.role().name(), Types.VARCHAR))
                .toArray(MapSqlParameterSource[]::new);
        jdbc.batchUpdate("INSERT INTO activity_partner (activity_id, agency, role) VALUES (:activityId, :agency,"
                + " :role) ON CONFLICT DO NOTHING", rows);
    }

    // One query for the partners of a whole page.
    private List<ActivityView> withPartners(List<ActivityView> views) {
        if (views.isEmpty()) {
            return views;
        }
        Map<String, List<Partner>> partners = new HashMap<>();
        jdbc.query("SELECT activity_id, agency, role FROM activity_partner WHERE activity_id IN (:ids)"
                        + " ORDER BY activity_id, agency, role",
                Map.of("ids", views.stream().map(ActivityView::id).toList()),
                rs -> {
                    String role = rs.getString("role");
                    partners.computeIfAbsent(rs.getString("activity_id"), id -> new ArrayList<>())
                            .add(new Partner(rs.getString("agency"), role == null ? null : PartnerRole.valueOf(role)));
                });
        return views.stream().map(view -> view.withPartners(partners.getOrDefault(view.id(), List.of()))).toList();
    }

    private static ActivityView viewWithPartners(ResultSet rs, int row) throws SQLException {
        List<String> agencies = strings(rs.getArray("partner_agencies"));
        List<String> roles = strings(rs.getArray("partner_roles"));
        List<Partner> partners = new ArrayList<>(agencies.size());
        for (int i = 0; i < agencies.size(); i++) {
            String role = roles.get(i);
            partners.add(new Partner(agencies.get(i), role == null ? null : PartnerRole.valueOf(role)));
        }
        return view(rs, row).withPartners(partners);
    }

    private static MapSqlParameterSource parameters(ActivityView view) {
        Period period = view.plannedPeriod();
        return new MapSqlParameterSource()
                .addValue("id", view.id())
                .addValue("leadAgency", view.leadAgency())
                .addValue("title", view.title(), Types.VARCHAR)
                .addValue("description", view.description(), Types.VARCHAR)
                .addValue("state", view.state().name())
                .addValue("axes", textArray(view.axes()), Types.ARRAY)
                .addValue("regions", textArray(view.regions()), Types.ARRAY)
                .addValue("targetGroups", textArray(view.targetGroups()), Types.ARRAY)
                .addValue("plannedStart", period == null ? null : period.start(), Types.DATE)
                .addValue("plannedEnd", period == null ? null : period.end(), Types.DATE)
                .addValue("plannedAmount", amount(view.plannedBudget()), Types.NUMERIC)
                .addValue("plannedCurrency", currency(view.plannedBudget()), Types.VARCHAR)
                .addValue("committedAmount", amount(view.committedAmount()), Types.NUMERIC)
                .addValue("committedCurrency", currency(view.committedAmount()), Types.VARCHAR)
                .addValue("committedOn", view.committedOn(), Types.DATE)
                .addValue("startedOn", view.startedOn(), Types.DATE)
                .addValue("completedOn", view.completedOn(), Types.DATE)
                .addValue("amountSpent", amount(view.amountSpent()), Types.NUMERIC)
                .addValue("spentCurrency", currency(view.amountSpent()), Types.VARCHAR)
                .addValue("beneficiariesReached", view.beneficiariesReached(), Types.BIGINT)
                .addValue("suspendedOn", view.suspendedOn(), Types.DATE)
                .addValue("cancelledOn", view.cancelledOn(), Types.DATE)
                .addValue("cancelReason", view.cancelReason(), Types.VARCHAR)
                .addValue("version", view.version())
                .addValue("lastGlobalSequence", view.lastGlobalSequence())
                .addValue("updatedAt", Sql.timestamptz(view.updatedAt()),
                        Types.TIMESTAMP_WITH_TIMEZONE);
    }

    private static ActivityView view(ResultSet rs, int row) throws SQLException {
        return new ActivityView(
                rs.getString("id"),
                rs.getString("lead_agency"),
                rs.getString("title"),
                rs.getString("description"),
                ActivityState.valueOf(rs.getString("state")),
                List.of(),
                strings(rs.getArray("axes")),
                strings(rs.getArray("regions")),
                strings(rs.getArray("target_groups")),
                period(rs.getObject("planned_start", LocalDate.class), rs.getObject("planned_end", LocalDate.class)),
                money(rs.getBigDecimal("planned_amount"), rs.getString("planned_currency")),
                money(rs.getBigDecimal("committed_amount"), rs.getString("committed_currency")),
                rs.getObject("committed_on", LocalDate.class),
                rs.getObject("started_on", LocalDate.class),
                rs.getObject("completed_on", LocalDate.class),
                money(rs.getBigDecimal("amount_spent"), rs.getString("spent_currency")),
                rs.getObject("beneficiaries_reached", Long.class),
                rs.getObject("suspended_on", LocalDate.class),
                rs.getObject("cancelled_on", LocalDate.class),
                rs.getString("cancel_reason"),
                rs.getLong("version"),
                rs.getLong("last_global_sequence"),
                rs.getTimestamp("updated_at").toInstant());
    }

    // A real text[] built on the statement's connection: a plain Java array would be expanded into a value list.
    private static SqlTypeValue textArray(List<String> values) {
        return new AbstractSqlTypeValue() {
            @Override
            protected Object createTypeValue(Connection connection, int sqlType, String typeName) throws SQLException {
                return connection.createArrayOf("text", values.toArray());
            }
        };
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }

    private static Period period(LocalDate start, LocalDate end) {
        return start == null && end == null ? null : new Period(start, end);
    }

    private static Money money(BigDecimal amount, String currency) {
        return amount == null ? null : new Money(amount, currency);
    }

    private static BigDecimal amount(Money money) {
        return money == null ? null : money.amount();
    }

    private static String currency(Money money) {
        return money == null ? null : money.currency();
    }
}
