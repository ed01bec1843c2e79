package org.convergenceledger.benchmark;

/** The benchmarks' database password comes from the environment: a command line is visible to every user (ps). */
final class DatabasePassword {

    private DatabasePassword() {
    }

    static String fromEnvironment() {
        String password = System.getenv("LEDGER_DB_PASSWORD");
        return password == null || password.isEmpty() ? "postgres" : password;
    }

    static IllegalArgumentException notOnTheCommandLine() {
        return new IllegalArgumentException("--db-password is not taken on the command line, where every user of the"
                + " machine can read it: set LEDGER_DB_PASSWORD instead");
    }
}
