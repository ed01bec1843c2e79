package org.convergenceledger.it;

import org.junit.jupiter.api.BeforeAll;

/**
 * A test class on the run's one ledger: both services, one PostgreSQL and one broker shared by every test class
 * (LedgerSystem), with the scenario's agencies and axes registered.
 */
abstract class OnTheLedger {

    static LedgerSystem system;

    @BeforeAll
    static void startTheLedger() {
        system = LedgerSystem.get();
        Ledger.ensureRegistry(system);
    }
}
