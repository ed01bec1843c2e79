package org.convergenceledger.command.registry;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.convergenceledger.command.system.GroupCommit;
import org.convergenceledger.events.agency.AgencyRegistered;
import org.convergenceledger.events.axis.AxisDefined;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Keeps known_agency and known_axis from their events. Subscribing, so the row is written in the transaction that
 * stores the event: an activity proposed right after its agency registered sees it. Agencies and axes are never
 * removed, so the codes found are remembered and a command asks the database only about a code it has not seen;
 * a batch of commands that fails to commit (which may have registered one) makes it forget them all.
 */
@Component
@ProcessingGroup(RegistryProjection.GROUP)
class RegistryProjection implements Registry, GroupCommit.Listener {

    static final String GROUP = "registry";

    private final JdbcTemplate jdbc;
    private final Set<String> agencies = ConcurrentHashMap.newKeySet();
    private final Set<String> axes = ConcurrentHashMap.newKeySet();

    @Override
    public void batchRolledBack() {
        agencies.clear();
        axes.clear();
    }

    RegistryProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(AgencyRegistered event) {
        jdbc.update("INSERT INTO known_agency (code, name, kind) VALUES (?, ?, ?) ON CONFLICT (code) DO NOTHING",
                event.agencyCode(), event.name(), event.kind().name());
    }

    @EventHandler
    void on(AxisDefined event) {
        jdbc.update("INSERT INTO known_axis (code, title) VALUES (?, ?) ON CONFLICT (code) DO NOTHING",
                event.axisCode(), event.title());
    }

    @Override
    public boolean isRegisteredAgency(String agencyCode) {
        return agencies.contains(agencyCode)
                || remembered(agencies, agencyCode, exists("SELECT count(*) FROM known_agency WHERE code = ?", agencyCode));
    }

    @Override
    public boolean isDefinedAxis(String axisCode) {
        return axes.contains(axisCode)
                || remembered(axes, axisCode, exists("SELECT count(*) FROM known_axis WHERE code = ?", axisCode));
    }

    private static boolean remembered(Set<String> known, String code, boolean found) {
        if (found) {
            known.add(code);
        }
        return found;
    }

    private boolean exists(String sql, String code) {
        Integer count = jdbc.queryForObject(sql, Integer.class, code);
        return count != null && count > 0;
    }
}
