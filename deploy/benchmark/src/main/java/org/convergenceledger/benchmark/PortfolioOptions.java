package org.convergenceledger.benchmark;

/**
 * The options shared by the programs that load the convergence portfolio ({@link Workload}) into a running system
 * and read it back (ConvergenceBenchmark, ReadSideBenchmark): where the system is, the workload's size, seed and
 * run tag, and how long to wait. Each program's options extend these with its own.
 */
class PortfolioOptions {

    /** The addresses' lines of a usage text (two spaces of indentation, as the programs' other options). */
    static final String SYSTEM_USAGE = """
              --command-url URL            command service           (default http://localhost:8081)
              --query-url URL              query service             (default http://localhost:8082)
              --jdbc-url URL               command database          (default jdbc:postgresql://localhost:15432/ledger_command)
              --query-jdbc-url URL         query database            (default jdbc:postgresql://localhost:15432/ledger_query)
              --db-user USER               both databases (default postgres)
              (the password: $LEDGER_DB_PASSWORD, default postgres)
            """;

    String commandUrl = "http://localhost:8081";
    String queryUrl = "http://localhost:8082";
    String jdbcUrl = "jdbc:postgresql://localhost:15432/ledger_command";
    String queryJdbcUrl = "jdbc:postgresql://localhost:15432/ledger_query";
    String dbUser = "postgres";
    String dbPassword = DatabasePassword.fromEnvironment();
    int activities = 100_000;
    int concurrency = 16;
    long seed = 2024;
    String runTag;
    int readRepeats = 50;
    int progressSeconds = 10;
    int requestTimeoutSeconds = 60;
    int catchUpTimeoutSeconds = 1800;
    int rebuildTimeoutSeconds = 1800;
    boolean help;

    /** Takes the option if it is one of these; false when it is not. */
    boolean accept(String name, String value) throws Options.BadArguments {
        switch (name) {
            case "command-url" -> commandUrl = Options.url(name, value);
            case "query-url" -> queryUrl = Options.url(name, value);
            case "jdbc-url" -> jdbcUrl = Options.jdbc(name, value);
            case "query-jdbc-url" -> queryJdbcUrl = Options.jdbc(name, value);
            case "db-user" -> dbUser = value;
            case "db-password" -> throw DatabasePassword.notOnTheCommandLine();
            case "activities" -> activities = Options.positive(name, value);
            case "concurrency" -> concurrency = Options.positive(name, value);
            case "seed" -> seed = Options.seed(value);
            case "run-tag" -> runTag = Options.runTag(value);
            case "read-repeats" -> readRepeats = Options.positive(name, value);
            case "progress-seconds" -> progressSeconds = Options.positive(name, value);
            case "request-timeout-seconds" -> requestTimeoutSeconds = Options.positive(name, value);
            case "catch-up-timeout-seconds" -> catchUpTimeoutSeconds = Options.positive(name, value);
            case "rebuild-timeout-seconds" -> rebuildTimeoutSeconds = Options.positive(name, value);
            default -> {
                return false;
            }
        }
        return true;
    }

    /** The run tag given, or a new one: r, date and time, three random characters. */
    String runTagOrNew() {
        return runTag != null ? runTag : Report.newRunTag();
    }

    LedgerHttp http() {
        return new LedgerHttp(commandUrl, queryUrl, java.time.Duration.ofSeconds(requestTimeoutSeconds));
    }

    /** The command database (RawInsert for its connection, its server settings and the stored events' shape). */
    RawInsert commandDatabase() {
        return new RawInsert(jdbcUrl, dbUser, dbPassword, requestTimeoutSeconds);
    }

    RawInsert queryDatabase() {
        return new RawInsert(queryJdbcUrl, dbUser, dbPassword, requestTimeoutSeconds);
    }
}
