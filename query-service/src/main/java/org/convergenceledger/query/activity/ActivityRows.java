package org.convergenceledger.query.activity;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.convergenceledger.events.common.ActivityState;
import org.convergenceledger.events.common.Money;
import org.convergenceledger.events.common.PartnerRole;
import org.convergenceledger.events.common.PartnershipStatus;
import org.convergenceledger.events.common.Period;
import org.convergenceledger.query.projection.Stamp;
import org.convergenceledger.query.projection.TableRows.Table;
import org.convergenceledger.query.system.Sql;

/** The activity tables' rows: what a view, its partners and its versions are as columns, and back. */
final class ActivityRows {

    static final Table VIEW = new Table("activity_view", "id", "lead_agency", "title", "description", "state", "axes",
            "regions", "target_groups", "planned_start", "planned_end", "planned_amount", "planned_currency",
            "committed_amount", "committed_currency", "committed_on", "started_on", "completed_on", "amount_spent",
            "spent_currency", "beneficiaries_reached", "suspended_on", "cancelled_on", "cancel_reason", "version",
            "last_global_sequence", "updated_at", "recorded_from", "occurred_from", "segment", "planned_by_year",
            "moved_to");

    static final Table PARTNER = new Table("activity_partner", "activity_id", "agency", "role", "status", "reason");

    /** One row per version: what the convergence reads group, narrow, with the version's range on both time lines. */
    static final Table VERSION = new Table("activity_version", "activity_id", "version", "is_current",
            "global_sequence", "recorded_from", "occurred_from", "recorded_to", "occurred_to", "lead_agency", "title",
            "state", "axes", "regions", "target_groups", "partner_agencies", "partner_roles", "partner_statuses",
            "planned_start",
            "planned_end", "planned_amount", "planned_currency", "committed_amount", "committed_currency",
            "committed_on", "started_on", "completed_on", "amount_spent", "spent_currency", "beneficiaries_reached",
            "planned_by_year", "moved_to");

    private ActivityRows() {
    }

    static Object[] view(Tracked tracked) {
        ActivityView view = tracked.view();
        ActivityView.Plan plan = view.plan();
        ActivityView.Execution execution = view.execution();
        ActivityView.Hold hold = view.hold();
        Money committed = view.commitment() == null ? null : view.commitment().amount();
        return new Object[] {view.id(), view.leadAgency(), plan.title(), plan.description(), view.state().name(),
                plan.axes(), plan.regions(), plan.targetGroups(), start(plan.period()), end(plan.period()),
                amount(plan.budget()), currency(plan.budget()), amount(committed), currency(committed),
                view.commitment() == null ? null : view.commitment().on(), execution.startedOn(),
                execution.completedOn(), amount(execution.amountSpent()), currency(execution.amountSpent()),
                execution.beneficiariesReached(), hold.suspendedOn(), hold.cancelledOn(), hold.cancelReason(),
                view.version().sequence(), view.version().globalSequence(),
                view.version().recordedAt().toString(), tracked.stamp().recorded().toString(),
                tracked.stamp().occurred().toString(), tracked.segment(), PlannedByYear.column(plan.budgetByYear()),
                view.movedTo()};
    }

    static List<Object[]> partners(ActivityView view) {
        List<Object[]> rows = new ArrayList<>();
        for (ActivityView.Partnership partner : view.sortedPartners()) {
            rows.add(new Object[] {view.id(), partner.agency(), partner.role() == null ? null : partner.role().name(),
                    partner.status().name(), partner.reason()});
        }
        return rows;
    }

    static Object[] version(ActivityFold.VersionRow row) {
        ActivityView view = row.view();
        ActivityView.Plan plan = view.plan();
        ActivityView.Execution execution = view.execution();
        Money committed = view.commitment() == null ? null : view.commitment().amount();
        // A version lists the partners the lead named, with what each said; requests are not partners yet.
        List<ActivityView.Partnership> partners = view.namedPartners();
        return new Object[] {view.id(), view.version().sequence(), row.to() == null,
                view.version().globalSequence(), row.from().recorded().toString(), row.from().occurred().toString(),
                Sql.instantOrInfinity(row.to() == null ? null : row.to().recorded()),
                Sql.instantOrInfinity(row.to() == null ? null : row.to().occurred()), view.leadAgency(),
                plan.title(), view.state().name(), plan.axes(), plan.regions(), plan.targetGroups(),
                partners.stream().map(ActivityView.Partnership::agency).toList(),
                partners.stream().map(partner -> partner.role() == null ? "" : partner.role().name()).toList(),
                partners.stream().map(partner -> partner.status().name()).toList(),
                start(plan.period()), end(plan.period()), amount(plan.budget()), currency(plan.budget()),
                amount(committed), currency(committed), view.commitment() == null ? null : view.commitment().on(),
                execution.startedOn(), execution.completedOn(), amount(execution.amountSpent()),
                currency(execution.amountSpent()), execution.beneficiariesReached(),
                PlannedByYear.column(plan.budgetByYear()), view.movedTo()};
    }

    /**
     * An activity_view row (with its partnerships as parallel arrays beside it: agency, role, status, reason) back as
     * the tracked state.
     */
    static Tracked tracked(ResultSet rs) throws SQLException {
        return new Tracked(view(rs), new Stamp(rs.getObject("recorded_from", OffsetDateTime.class).toInstant(),
                rs.getObject("occurred_from", OffsetDateTime.class).toInstant()), rs.getInt("segment"));
    }

    static ActivityView view(ResultSet rs) throws SQLException {
        List<String> agencies = Sql.strings(rs.getArray("partner_agencies"));
        List<String> roles = Sql.strings(rs.getArray("partner_roles"));
        List<String> statuses = Sql.strings(rs.getArray("partner_statuses"));
        List<String> reasons = Sql.strings(rs.getArray("partner_reasons"));
        List<ActivityView.Partnership> partners = new ArrayList<>(agencies.size());
        for (int i = 0; i < agencies.size(); i++) {
            String role = roles.get(i);
            partners.add(new ActivityView.Partnership(agencies.get(i),
                    role == null || role.isEmpty() ? null : PartnerRole.valueOf(role),
                    PartnershipStatus.valueOf(statuses.get(i)), reasons.get(i)));
        }
        Money committed = money(rs.getBigDecimal("committed_amount"), rs.getString("committed_currency"));
        LocalDate committedOn = rs.getObject("committed_on", LocalDate.class);
        return new ActivityView(
                rs.getString("id"),
                rs.getString("lead_agency"),
                ActivityState.valueOf(rs.getString("state")),
                new ActivityView.Plan(rs.getString("title"), rs.getString("description"),
                        Sql.strings(rs.getArray("axes")), Sql.strings(rs.getArray("regions")),
                        Sql.strings(rs.getArray("target_groups")),
                        period(rs.getObject("planned_start", LocalDate.class),
                                rs.getObject("planned_end", LocalDate.class)),
                        money(rs.getBigDecimal("planned_amount"), rs.getString("planned_currency")),
                        PlannedByYear.parts(rs.getString("planned_by_year"))),
                partners,
                committed == null && committedOn == null ? null : new ActivityView.Commitment(committed, committedOn),
                new ActivityView.Execution(rs.getObject("started_on", LocalDate.class),
                        rs.getObject("completed_on", LocalDate.class),
                        money(rs.getBigDecimal("amount_spent"), rs.getString("spent_currency")),
                        rs.getObject("beneficiaries_reached", Long.class)),
                new ActivityView.Hold(rs.getObject("suspended_on", LocalDate.class),
                        rs.getObject("cancelled_on", LocalDate.class), rs.getString("cancel_reason")),
                new ActivityView.Version(rs.getLong("version"), rs.getLong("last_global_sequence"),
                        rs.getTimestamp("updated_at").toInstant()),
                rs.getString("moved_to"));
    }

    private static LocalDate start(Period period) {
        return period == null ? null : period.start();
    }

    private static LocalDate end(Period period) {
        return period == null ? null : period.end();
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
