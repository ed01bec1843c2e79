package org.convergenceledger.benchmark;

import java.util.ArrayList;
import java.util.List;

/** The command line. Every option has a default so that a bare {@code java -jar} measures the local system. */
final class Options {

    static final String USAGE = """
            usage: java -jar benchmark-0.1.0-SNAPSHOT-exec.jar [options]

            Drives a RUNNING Convergence Ledger (deploy/local.sh start) and prints, per concurrency level:
            commands/s and latency of propose+commit, the lag until the query service shows each sampled commit,
            and the raw limit (plain INSERT transactions of same-sized rows into the same PostgreSQL, same
            concurrency, same duration or count).

            options (also accepted as --name=value):
              --command-url URL            command service           (default http://localhost:8081)
              --query-url URL              query service             (default http://localhost:8082)
              --jdbc-url URL               command database          (default jdbc:postgresql://localhost:15432/ledger_command)
              --db-user USER               (default postgres)
              (the password: $LEDGER_DB_PASSWORD, default postgres)
              --levels 1,8,32,64           concurrency levels: worker threads, for commands and for raw inserts
              --runs N                     every level is measured N times; the summary gives each run and the
                                           median (default 3)
              --per-level-seconds N        each level runs N seconds of commands, then N seconds of single-row raw
                                           inserts, then N seconds of batched raw inserts (default 15: with the
                                           defaults the run takes about 10 minutes, plus the catch-ups)
              --batch-rows N               rows per transaction of the batched raw inserts, the group-commit
                                           limit (default 16)
              --lag-min-samples N          a command phase runs on (up to three times its seconds) until N commits
                                           were sampled for the lag, with the sampler's bounds raised to allow it
                                           (default 200; 0: no minimum)
              --per-level-activities N     instead: each level proposes+commits N activities (2N commands),
                                           then makes 2N raw inserts
              --warmup-seconds N           unrecorded propose+commit before the first level (default 10; 0: none)
            """ + LagOptions.USAGE + """
              --request-timeout-seconds N  one HTTP request or JDBC insert (default 30)
              --catch-up-timeout-seconds N after the warm-up and after each command phase, wait at most N s for
                                           the query side to apply everything stored (default 120)
              --help                       this text

            exit status: 0 run completed (figures printed, errors counted in them), 1 system unreachable or broken,
            2 bad arguments.
            """;

    String commandUrl = "http://localhost:8081";
    String queryUrl = "http://localhost:8082";
    String jdbcUrl = "jdbc:postgresql://localhost:15432/ledger_command";
    String dbUser = "postgres";
    String dbPassword = DatabasePassword.fromEnvironment();
    List<Integer> levels = List.of(1, 8, 32, 64);
    int runs = 3;
    int batchRows = 16;
    int lagMinSamples = 200;
    int perLevelSeconds = 15;
    /** When positive, levels are sized by activities instead of seconds. */
    int perLevelActivities = 0;
    int warmupSeconds = 10;
    final LagOptions lag = new LagOptions();
    int requestTimeoutSeconds = 30;
    int catchUpTimeoutSeconds = 120;
    boolean help;

    boolean byCount() {
        return perLevelActivities > 0;
    }

    static final class BadArguments extends Exception {
        BadArguments(String message) {
            super(message);
        }
    }

    /** One option of the command line, by name without the leading dashes. */
    interface Handler {
        void option(String name, String value) throws BadArguments;
    }

    /**
     * Reads {@code --name value} and {@code --name=value} pairs, hands each to the handler; {@code --help}/{@code -h}
     * take no value. Shared by the benchmark programs.
     *
     * @return whether help was asked for
     */
    static boolean each(String[] args, Handler handler) throws BadArguments {
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                help = true;
                continue;
            }
            if (!arg.startsWith("--")) {
                throw new BadArguments("unexpected argument '" + arg + "'");
            }
            int eq = arg.indexOf('=');
            if (eq > 0) {
                handler.option(arg.substring(2, eq), arg.substring(eq + 1));
            } else {
                String name = arg.substring(2);
                if (i + 1 >= args.length) {
                    throw new BadArguments("--" + name + " needs a value");
                }
                handler.option(name, args[++i]);
            }
        }
        return help;
    }

    /**
     * The command line with each of the named flags (options without a value, e.g. {@code --dry-run}) given the value
     * {@code true}, so that {@link #each} takes them like any other option.
     */
    static String[] flags(String[] args, String... names) {
        List<String> flags = List.of(names);
        String[] normalized = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            normalized[i] = args[i].startsWith("--") && flags.contains(args[i].substring(2)) ? args[i] + "=true"
                    : args[i];
        }
        return normalized;
    }

    static Options parse(String[] args) throws BadArguments {
        Options o = new Options();
        boolean[] secondsGiven = {false};
        o.help = each(args, (name, value) -> {
            switch (name) {
                case "command-url" -> o.commandUrl = url(name, value);
                case "query-url" -> o.queryUrl = url(name, value);
                case "jdbc-url" -> o.jdbcUrl = jdbc(name, value);
                case "db-user" -> o.dbUser = value;
                case "db-password" -> throw DatabasePassword.notOnTheCommandLine();
                case "levels" -> o.levels = levels(value);
                case "runs" -> o.runs = positive(name, value);
                case "batch-rows" -> o.batchRows = positive(name, value);
                case "lag-min-samples" -> o.lagMinSamples = nonNegative(name, value);
                case "per-level-seconds" -> {
                    o.perLevelSeconds = positive(name, value);
                    secondsGiven[0] = true;
                }
                case "per-level-activities" -> o.perLevelActivities = positive(name, value);
                case "warmup-seconds" -> o.warmupSeconds = nonNegative(name, value);
                case "request-timeout-seconds" -> o.requestTimeoutSeconds = positive(name, value);
                case "catch-up-timeout-seconds" -> o.catchUpTimeoutSeconds = positive(name, value);
                default -> {
                    if (!o.lag.accept(name, value)) {
                        throw new BadArguments("unknown option --" + name);
                    }
                }
            }
        });
        if (secondsGiven[0] && o.perLevelActivities > 0) {
            throw new BadArguments("give --per-level-seconds or --per-level-activities, not both");
        }
        return o;
    }

    static String jdbc(String name, String value) throws BadArguments {
        if (!value.startsWith("jdbc:postgresql:")) {
            throw new BadArguments("--" + name + " must start with jdbc:postgresql:, not '" + value + "'");
        }
        return value;
    }

    static String url(String name, String value) throws BadArguments {
        if (!value.startsWith("http://") && !value.startsWith("https://")) {
            throw new BadArguments("--" + name + " must be an http:// or https:// URL, not '" + value + "'");
        }
        return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    }

    /** A workload's seed: any whole number. */
    static long seed(String value) throws BadArguments {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new BadArguments("--seed must be a whole number, not '" + value + "'");
        }
    }

    /** The middle part of a program's activity ids. */
    static String runTag(String value) throws BadArguments {
        if (!value.matches("[A-Za-z0-9-]{1,60}")) {
            throw new BadArguments("--run-tag: letters, digits and '-' only, not '" + value + "'");
        }
        return value;
    }

    static List<Integer> levels(String value) throws BadArguments {
        List<Integer> levels = new ArrayList<>();
        for (String part : value.split(",")) {
            levels.add(positive("levels", part.strip()));
        }
        if (levels.isEmpty()) {
            throw new BadArguments("--levels needs at least one level");
        }
        return List.copyOf(levels);
    }

    static int positive(String name, String value) throws BadArguments {
        int n = nonNegative(name, value);
        if (n == 0) {
            throw new BadArguments("--" + name + " must be at least 1");
        }
        return n;
    }

    static int nonNegative(String name, String value) throws BadArguments {
        try {
            int n = Integer.parseInt(value.strip());
            if (n < 0) {
                throw new BadArguments("--" + name + " must not be negative, not '" + value + "'");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new BadArguments("--" + name + " must be a whole number, not '" + value + "'");
        }
    }
}
