package org.convergenceledger.it;

import org.junit.jupiter.api.BeforeAll;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A test class on the run's one ledger: both services, one PostgreSQL and one broker shared by every test class
 * (LedgerSystem), with the scenario's agencies and axes registered; {@code store} is the command database (the
 * event store) as the test class found it.
 */
abstract class OnTheLedger {

    static LedgerSystem system;
    static JdbcTemplate store;

    @BeforeAll
    static void startTheLedger() {
        system = LedgerSystem.get();
        Ledger.ensureRegistry(system);
        store = system.commandDatabase();
    }
}
