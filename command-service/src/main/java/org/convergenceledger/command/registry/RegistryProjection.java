package org.convergenceledger.command.registry;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.convergenceledger.events.agency.AgencyRegistered;
import org.convergenceledger.events.axis.AxisDefined;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Keeps known_agency and known_axis from their events. Subscribing, so the row is written in the transaction that
 * stores the event: an activity proposed right after its agency registered sees it.
 */
@Component
@ProcessingGroup(RegistryProjection.GROUP)
class RegistryProjection implements Registry {

    static final String GROUP = "registry";

    private final JdbcTemplate jdbc;

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
        return exists("SELECT count(*) FROM known_agency WHERE code = ?", agencyCode);
    }

    @Override
    public boolean isDefinedAxis(String axisCode) {
        return exists("SELECT count(*) FROM known_axis WHERE code = ?", axisCode);
    }

    private boolean exists(String sql, String code) {
        Integer count = jdbc.queryForObject(sql, Integer.class, code);
        return count != null && count > 0;
    }
}
