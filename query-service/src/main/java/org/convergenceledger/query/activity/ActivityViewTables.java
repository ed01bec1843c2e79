package org.convergenceledger.query.activity;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.convergenceledger.query.projection.TableRows;
import org.springframework.jdbc.core.JdbcTemplate;

/** Reads and writes the activity tables for the live projection: a batch's activities at once, each table once. */
final class ActivityViewTables {

    /** The view's columns and its partners as two arrays (agency, role; in the key's order, so both line up). */
    static final String WITH_PARTNERS = "SELECT a.*, p.partner_agencies, p.partner_roles FROM activity_view a "
            + "LEFT JOIN LATERAL (SELECT array_agg(ap.agency ORDER BY ap.agency, ap.role) AS partner_agencies, "
            + "array_agg(coalesce(ap.role, '') ORDER BY ap.agency, ap.role) AS partner_roles "
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
        List<Object[]> unpartnered = new ArrayList<>();
        List<Object[]> partners = new ArrayList<>();
        List<Object[]> closedVersions = new ArrayList<>();
        List<Object[]> versions = new ArrayList<>();
        for (ActivityFold.Folded folded : batch) {
            views.add(ActivityRows.view(folded.after()));
            if (folded.partnersChanged()) {
                if (folded.before() != null) {
                    unpartnered.add(new Object[] {folded.id()});
                }
                partners.addAll(ActivityRows.partners(folded.after().view()));
            }
            if (folded.before() != null) {
                var end = folded.versions().get(0).from();
                closedVersions.add(new Object[] {end.recorded().toString(), end.occurred().toString(), folded.id()});
            }
            folded.versions().forEach(version -> versions.add(ActivityRows.version(version)));
        }
        List<String> columns = ActivityRows.VIEW.columns();
        StringBuilder update = new StringBuilder(" ON CONFLICT (id) DO UPDATE SET ");
        for (int i = 1; i < columns.size(); i++) {
            update.append(i > 1 ? ", " : "").append(columns.get(i)).append(" = excluded.").append(columns.get(i));
        }
        TableRows.insert(jdbc, ActivityRows.VIEW.insert() + update, views);
        if (!unpartnered.isEmpty()) {
            jdbc.batchUpdate("DELETE FROM activity_partner WHERE activity_id = ?", unpartnered);
        }
        TableRows.insert(jdbc, ActivityRows.PARTNER.insert(), partners);
        if (!closedVersions.isEmpty()) {
            // Moves the version that was current into the closed partition, with the stamp that ended it.
            jdbc.batchUpdate("""
                    UPDATE activity_version SET is_current = false, recorded_to = CAST(? AS timestamptz),
                        occurred_to = CAST(? AS timestamptz)
                    WHERE activity_id = ? AND is_current
                    """, closedVersions);
        }
        TableRows.insert(jdbc, ActivityRows.VERSION.insert(), versions);
    }
}
