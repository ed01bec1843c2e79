package org.convergenceledger.query.activity;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.convergenceledger.query.projection.TableRows;
import org.springframework.jdbc.core.JdbcTemplate;

/** Reads and writes the activity tables for the live projection: a batch's activities at once, each table once. */
final class ActivityViewTables {

    /** The view's columns and its partnerships as four arrays (agency, role, status, reason; in the key's order). */
    static final String WITH_PARTNERS = "SELECT a.*, p.partner_agencies, p.partner_roles, p.partner_statuses, "
            + "p.partner_reasons FROM activity_view a "
            + "LEFT JOIN LATERAL (SELECT array_agg(ap.agency ORDER BY ap.agency, ap.role) AS partner_agencies, "
            + "array_agg(coalesce(ap.role, '') ORDER BY ap.agency, ap.role) AS partner_roles, "
            + "array_agg(ap.status ORDER BY ap.agency, ap.role) AS partner_statuses, "
            + "array_agg(ap.reason ORDER BY ap.agency, ap.role) AS partner_reasons "
            + "FROM activity_partner ap WHERE ap.activity_id = a.id) p ON true";

    private ActivityViewTables() {
    }

    /**
     * The stored state of the given activities, locked for the batch: with several processor segments two batches
     * could otherwise interleave on one activity.
     */
    static Map<String, Tracked> load(JdbcTemplate jdbc, List<String> ids) {
        Map<String, Tracked> known = new HashMap<>();
        if (ids.isEmpty()) {
            return known;
        }
        jdbc.query(connection -> {
            var statement = connection.prepareStatement(WITH_PARTNERS + " WHERE a.id = ANY (?) ORDER BY a.id "
                    + "FOR UPDATE OF a");
            statement.setArray(1, connection.createArrayOf("text", ids.toArray()));
            return statement;
        }, rs -> {
            Tracked tracked = ActivityRows.tracked(rs);
            known.put(tracked.view().id(), tracked);
        });
        return known;
    }

    static void write(JdbcTemplate jdbc, List<ActivityFold.Folded> batch) {
        List<Object[]> views = new ArrayList<>(batch.size());
        List<String> unpartnered = new ArrayList<>();
        List<Object[]> partners = new ArrayList<>();
        List<String> closedIds = new ArrayList<>();
        List<String> closedRecorded = new ArrayList<>();
        List<String> closedOccurred = new ArrayList<>();
        List<Object[]> versions = new ArrayList<>();
        for (ActivityFold.Folded folded : batch) {
            views.add(ActivityRows.view(folded.after()));
            if (folded.partnersChanged()) {
                if (folded.before() != null) {
                    unpartnered.add(folded.id());
                }
                partners.addAll(ActivityRows.partners(folded.after().view()));
            }
            if (folded.before() != null) {
                var end = folded.versions().get(0).from();
                closedIds.add(folded.id());
                closedRecorded.add(end.recorded().toString());
                closedOccurred.add(end.occurred().toString());
            }
            folded.versions().forEach(version -> versions.add(ActivityRows.version(version)));
        }
        List<String> columns = ActivityRows.VIEW.columns();
        StringBuilder update = new StringBuilder("ON CONFLICT (id) DO UPDATE SET ");
        for (int i = 1; i < columns.size(); i++) {
            update.append(i > 1 ? ", " : "").append(columns.get(i)).append(" = excluded.").append(columns.get(i));
        }
        TableRows.upsert(jdbc, ActivityRows.VIEW, views, update.toString());
        if (!unpartnered.isEmpty()) {
            jdbc.update("DELETE FROM activity_partner WHERE activity_id = ANY (?::text[])",
                    TableRows.array(jdbc, unpartnered));
        }
        TableRows.copy(jdbc, ActivityRows.PARTNER, partners);
        if (!closedIds.isEmpty()) {
            // Moves the versions that were current into the closed partition, with the stamps that ended them.
            jdbc.update("""
                    UPDATE activity_version v SET is_current = false, recorded_to = c.recorded_to,
                        occurred_to = c.occurred_to
                    FROM unnest(?::text[], ?::text[]::timestamptz[], ?::text[]::timestamptz[])
                        AS c(activity_id, recorded_to, occurred_to)
                    WHERE v.activity_id = c.activity_id AND v.is_current
                    """, TableRows.array(jdbc, closedIds), TableRows.array(jdbc, closedRecorded),
                    TableRows.array(jdbc, closedOccurred));
        }
        TableRows.copy(jdbc, ActivityRows.VERSION, versions);
    }
}
