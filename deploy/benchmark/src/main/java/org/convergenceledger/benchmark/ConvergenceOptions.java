package org.convergenceledger.benchmark;

/** The convergence benchmark's command line (parsed with {@link Options#each} and its value checks). */
final class ConvergenceOptions {

    static final String USAGE = """
            usage: java -cp benchmark-0.1.0-SNAPSHOT-exec.jar -Dloader.main=org.convergenceledger.benchmark.ConvergenceBenchmark \\
                        org.springframework.boot.loader.launch.PropertiesLauncher [options]

            Drives a RUNNING Convergence Ledger (deploy/local.sh start): registers 12 agencies (BENCHA…BENCHL) and
            the six axes, proposes N activities (a share of them committed) generated from a seed, waits until the
            query service has applied them, times the convergence reads, then rebuilds the activity-view projection
            and times the replay.

            options (also accepted as --name=value):
              --command-url URL            command service           (default http://localhost:8081)
              --query-url URL              query service             (default http://localhost:8082)
              --jdbc-url URL               command database, to count the stored events and read the server version
                                           (default jdbc:postgresql://localhost:15432/ledger_command)
              --query-jdbc-url URL         query database, to count the pairs in convergence_pair
                                           (default jdbc:postgresql://localhost:15432/ledger_query)
              --db-user USER               both databases (default postgres)
              --db-password PASSWORD       (default postgres)
              --activities N               activities to propose (default 100000)
              --commit-percent N           share of them committed right after the proposal, 0–100 (default 40)
              --concurrency N              worker threads sending the commands (default 16)
              --seed N                     the workload's seed: same seed, same activities (default 2024)
              --run-tag TAG                the activity ids' middle part, BENCHx:TAG-n (default r<date>-<time>-<random>)
              --read-repeats N             timed calls per read, after 5 warm-up calls (default 50)
              --progress-seconds N         a progress line every N seconds during load, catch-up, rebuild (default 10)
              --request-timeout-seconds N  one HTTP request (default 60)
              --catch-up-timeout-seconds N after the load, wait at most N s for the query side (default 1800)
              --rebuild-timeout-seconds N  wait at most N s for the rebuild to reach the store head (default 1800)
              --skip-rebuild               do not rebuild the projection at the end
              --dry-run                    only generate the workload and print what the view should find
                                           (expected pairs); touches no service
              --help                       this text

            exit status: 0 run completed (figures printed, errors counted in them; a catch-up or rebuild that did
            not finish in time is printed as such), 1 system unreachable or broken, 2 bad arguments.
            """;

    String commandUrl = "http://localhost:8081";
    String queryUrl = "http://localhost:8082";
    String jdbcUrl = "jdbc:postgresql://localhost:15432/ledger_command";
    String queryJdbcUrl = "jdbc:postgresql://localhost:15432/ledger_query";
    String dbUser = "postgres";
    String dbPassword = "postgres";
    int activities = 100_000;
    int commitPercent = 40;
    int concurrency = 16;
    long seed = 2024;
    String runTag;
    int readRepeats = 50;
    int progressSeconds = 10;
    int requestTimeoutSeconds = 60;
    int catchUpTimeoutSeconds = 1800;
    int rebuildTimeoutSeconds = 1800;
    boolean skipRebuild;
    boolean dryRun;
    boolean help;

    static ConvergenceOptions parse(String[] args) throws Options.BadArguments {
        ConvergenceOptions o = new ConvergenceOptions();
        o.help = Options.each(Options.flags(args, "skip-rebuild", "dry-run"), (name, value) -> {
            switch (name) {
                case "command-url" -> o.commandUrl = Options.url(name, value);
                case "query-url" -> o.queryUrl = Options.url(name, value);
                case "jdbc-url" -> o.jdbcUrl = Options.jdbc(name, value);
                case "query-jdbc-url" -> o.queryJdbcUrl = Options.jdbc(name, value);
                case "db-user" -> o.dbUser = value;
                case "db-password" -> o.dbPassword = value;
                case "activities" -> o.activities = Options.positive(name, value);
                case "commit-percent" -> {
                    o.commitPercent = Options.nonNegative(name, value);
                    if (o.commitPercent > 100) {
                        throw new Options.BadArguments("--commit-percent must be 0–100, not " + value);
                    }
                }
                case "concurrency" -> o.concurrency = Options.positive(name, value);
                case "seed" -> {
                    try {
                        o.seed = Long.parseLong(value.strip());
                    } catch (NumberFormatException e) {
                        throw new Options.BadArguments("--seed must be a whole number, not '" + value + "'");
                    }
                }
                case "run-tag" -> {
                    if (!value.matches("[A-Za-z0-9-]{1,60}")) {
                        throw new Options.BadArguments("--run-tag: letters, digits and '-' only, not '" + value + "'");
                    }
                    o.runTag = value;
                }
                case "read-repeats" -> o.readRepeats = Options.positive(name, value);
                case "progress-seconds" -> o.progressSeconds = Options.positive(name, value);
                case "request-timeout-seconds" -> o.requestTimeoutSeconds = Options.positive(name, value);
                case "catch-up-timeout-seconds" -> o.catchUpTimeoutSeconds = Options.positive(name, value);
                case "rebuild-timeout-seconds" -> o.rebuildTimeoutSeconds = Options.positive(name, value);
                case "skip-rebuild" -> o.skipRebuild = Boolean.parseBoolean(value);
                case "dry-run" -> o.dryRun = Boolean.parseBoolean(value);
                default -> throw new Options.BadArguments("unknown option --" + name);
            }
        });
        return o;
    }
}
