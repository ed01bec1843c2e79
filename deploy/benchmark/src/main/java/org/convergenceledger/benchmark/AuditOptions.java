package org.convergenceledger.benchmark;

import java.nio.file.Path;
import java.util.List;

/** The audit benchmark's command line (parsed with {@link Options#each} and its value checks). */
final class AuditOptions {

    static final String USAGE = """
            usage: java -cp benchmark-0.1.0-SNAPSHOT-exec.jar -Dloader.main=org.convergenceledger.benchmark.AuditBenchmark \\
                        org.springframework.boot.loader.launch.PropertiesLauncher [options]

            The auditable history's costs, in four measures:
              1. offline (no system needed): generates a valid synthetic export of N events (NDJSON, signed tree
                 heads, public key) in a temporary directory, times the standalone verifier (LedgerVerifier.verify,
                 in this JVM) on it, then on a copy with one payload byte flipped (it must name that event);
              2. the sealing cost on the append path: INSERT transactions into a scratch copy of domainevententry
                 in the system's PostgreSQL, without and with what HashChain adds per event, alternating;
              3. export throughput of the running command service (ndjson and csv, streamed whole);
              4. inclusion-proof latency against the latest signed tree head, every proof verified.

            options (also accepted as --name=value):
              --events N                   synthetic export size (default 1000000)
              --activities N               activities the synthetic events belong to (default events ÷ 20)
              --signed-heads N             signed tree heads in the synthetic checkpoints, the last one covering
                                           every event (default 4)
              --seed N                     the synthetic ledger's seed (default 2024)
              --work-dir DIR               where the synthetic files go (default: a new temporary directory);
                                           they are deleted at the end either way
              --command-url URL            command service           (default http://localhost:8081)
              --jdbc-url URL               command database: scratch table for measure 2, event ids for measure 4
                                           (default jdbc:postgresql://localhost:15432/ledger_command)
              --db-user USER               (default postgres)
              (the password: $LEDGER_DB_PASSWORD, default postgres)
              --levels 1,8                 concurrency levels of measure 2 (default 1,8)
              --seconds N                  one phase of measure 2: N seconds without sealing, then N with
                                           (default 10)
              --rounds N                   phases alternate N times per level (default 2: without, with,
                                           without, with)
              --chain-length N             measure 2 appends N events per activity (0, 1, …); event 0 links to
                                           the genesis hash, the others read their predecessor (default 2:
                                           proposed + committed, as the command path)
              --proofs N                   timed inclusion proofs (default 200), after --proof-warmups (20)
              --request-timeout-seconds N  one HTTP request, or the headers of an export (default 60)
              --skip-offline               skip measure 1
              --skip-online                skip measures 2–4 (no system needed)
              --help                       this text

            exit status: 0 run completed (figures printed; a failed check is printed as such and counted in the
            BENCHMARK lines), 1 system unreachable or broken, 2 bad arguments.
            """;

    long events = 1_000_000;
    long activities;
    int signedHeads = 4;
    long seed = 2024;
    Path workDir;
    String commandUrl = "http://localhost:8081";
    String jdbcUrl = "jdbc:postgresql://localhost:15432/ledger_command";
    String dbUser = "postgres";
    String dbPassword = DatabasePassword.fromEnvironment();
    List<Integer> levels = List.of(1, 8);
    int seconds = 10;
    int rounds = 2;
    int chainLength = 2;
    int proofs = 200;
    int proofWarmups = 20;
    int requestTimeoutSeconds = 60;
    boolean skipOffline;
    boolean skipOnline;
    boolean help;

    long activities() {
        return activities > 0 ? Math.min(activities, events) : Math.max(1, events / 20);
    }

    static AuditOptions parse(String[] args) throws Options.BadArguments {
        AuditOptions o = new AuditOptions();
        o.help = Options.each(Options.flags(args, "skip-offline", "skip-online"), (name, value) -> {
            switch (name) {
                case "events" -> o.events = Options.positive(name, value);
                case "activities" -> o.activities = Options.positive(name, value);
                case "signed-heads" -> o.signedHeads = Options.positive(name, value);
                case "seed" -> o.seed = Options.seed(value);
                case "work-dir" -> o.workDir = Path.of(value);
                case "command-url" -> o.commandUrl = Options.url(name, value);
                case "jdbc-url" -> o.jdbcUrl = Options.jdbc(name, value);
                case "db-user" -> o.dbUser = value;
                case "db-password" -> throw DatabasePassword.notOnTheCommandLine();
                case "levels" -> o.levels = Options.levels(value);
                case "seconds" -> o.seconds = Options.positive(name, value);
                case "rounds" -> o.rounds = Options.positive(name, value);
                case "chain-length" -> o.chainLength = Options.positive(name, value);
                case "proofs" -> o.proofs = Options.positive(name, value);
                case "proof-warmups" -> o.proofWarmups = Options.nonNegative(name, value);
                case "request-timeout-seconds" -> o.requestTimeoutSeconds = Options.positive(name, value);
                case "skip-offline" -> o.skipOffline = Boolean.parseBoolean(value);
                case "skip-online" -> o.skipOnline = Boolean.parseBoolean(value);
                default -> throw new Options.BadArguments("unknown option --" + name);
            }
        });
        return o;
    }
}
