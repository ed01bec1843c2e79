package org.convergenceledger.command.scenario;

import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Loads the demo scenario into an empty ledger when ledger.scenario.load is on; a ledger with data is left alone. */
@Component
@ConditionalOnProperty(name = "ledger.scenario.load", havingValue = "true")
class ScenarioLoader {

    private static final Logger log = LoggerFactory.getLogger(ScenarioLoader.class);

    private final CommandGateway commands;
    private final JdbcTemplate jdbc;

    ScenarioLoader(CommandGateway commands, JdbcTemplate jdbc) {
        this.commands = commands;
        this.jdbc = jdbc;
    }

    // Before the initial keys (order 10), which are issued to the agencies this registers.
    @EventListener(ApplicationReadyEvent.class)
    @Order(0)
    void loadOnce() {
        Long stored = jdbc.queryForObject("SELECT count(*) FROM domainevententry", Long.class);
        if (stored != null && stored > 0) {
            log.info("Ledger holds {} events: scenario not loaded again", stored);
            return;
        }
        var steps = Scenario.steps();
        steps.forEach(step -> commands.sendAndWait(
                GenericCommandMessage.asCommandMessage(step.command()).andMetaData(step.metadata())));
        log.info("Scenario loaded: {} commands, {} activities", steps.size(), Scenario.activityCount());
    }
}
