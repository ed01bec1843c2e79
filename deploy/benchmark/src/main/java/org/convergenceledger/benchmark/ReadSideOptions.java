package org.convergenceledger.benchmark;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/** The read-side benchmark's command line (parsed with {@link Options#each} and its value checks). */
final class ReadSideOptions extends PortfolioOptions {

    static final String USAGE = """
            usage: java -cp benchmark-0.1.0-SNAPSHOT-exec.jar -Dloader.main=org.convergenceledger.benchmark.ReadSideBenchmark \\
                        org.springframework.boot.loader.launch.PropertiesLauncher [options]

            Drives a RUNNING Convergence Ledger (deploy/local.sh start) and measures its read side: a backlog loaded
            with both projections paused, then applied (events/s); the lag to the query service under command load;
            the convergence reads live and about past moments, sequential and under a storm of past reads; a rebuild
            of activity-view; the auditors' replay command; and, in the same run, the raw limits of the query
            database (COPY, multi-row INSERT) and of one request (GET /actuator/health). The command database is
            read for the stored events' size and by the replay (its event store); the query database holds the raw
            limits' scratch table and the replay's schema.

            options (also accepted as --name=value):
            """ + PortfolioOptions.SYSTEM_USAGE + """
              --activities N               activities loaded as the backlog, each with its lifecycle (default 100000)
              --concurrency N              worker threads sending the backlog's commands (default 16)
              --seed N                     the workload's seed: same seed, same activities and lives (default 2024)
              --run-tag TAG                the activity ids' middle part, BENCHx:TAG-n (default r<date>-<time>-<random>)
              --lag-levels 1,8,32          worker threads sending propose+commit while the lag is sampled
              --lag-seconds N              seconds of commands per lag level (default 30)
              --lag-min-samples N          at least N commits sampled per level: the sampler's bounds are raised to
                                           allow twice that in --lag-seconds, and a level runs on (up to 3 times
                                           its seconds) until it has them (default 200)
            """ + LagOptions.USAGE + """
              --read-repeats N             timed calls per read and moment, after 5 warm-up calls (default 50)
              --storm-seconds N            seconds of 12 threads of past reads beside 2 of live reads (default 20)
              --known-at INSTANT           the knownAt of the past reads (default: the middle of the backlog's
                                           load; with --skip-load, the time the reads start)
              --query-jar PATH             the query service's jar, for the replay command
                                           (default query-service/target/query-service-0.1.0-SNAPSHOT-exec.jar)
              --progress-seconds N         a progress line every N seconds in the long phases (default 10)
              --request-timeout-seconds N  one HTTP request (default 60)
              --catch-up-timeout-seconds N waits for the query side to apply a backlog (default 1800)
              --rebuild-timeout-seconds N  waits for the rebuild, and for the replay command (default 1800)
              --skip-load                  no backlog (then no apply either: nothing is paused)
              --skip-apply                 load the backlog, but do not time its apply (the projections are
                                           resumed all the same)
              --skip-lag, --skip-reads, --skip-storm, --skip-rebuild, --skip-replay, --skip-raw
                                           leave out that phase
              --help                       this text

            exit status: 0 run completed (figures printed, errors counted in them; a phase that failed is printed
            as such), 1 system unreachable or broken, 2 bad arguments.
            """;

    static final List<String> SKIPPABLE = List.of("load", "apply", "lag", "reads", "storm", "rebuild", "replay",
            "raw");

    List<Integer> lagLevels = List.of(1, 8, 32);
    int lagSeconds = 30;
    int lagMinSamples = 200;
    final LagOptions lag = new LagOptions();
    int stormSeconds = 20;
    Instant knownAt;
    String queryJar = "query-service/target/query-service-0.1.0-SNAPSHOT-exec.jar";
    final java.util.Set<String> skipped = new java.util.TreeSet<>();

    boolean runs(String phase) {
        return !skipped.contains(phase);
    }

    static ReadSideOptions parse(String[] args) throws Options.BadArguments {
        ReadSideOptions o = new ReadSideOptions();
        String[] flags = SKIPPABLE.stream().map(phase -> "skip-" + phase).toArray(String[]::new);
        o.help = Options.each(Options.flags(args, flags), (name, value) -> {
            switch (name) {
                case "lag-levels" -> o.lagLevels = Options.levels(value);
                case "lag-seconds" -> o.lagSeconds = Options.positive(name, value);
                case "lag-min-samples" -> o.lagMinSamples = Options.nonNegative(name, value);
                case "storm-seconds" -> o.stormSeconds = Options.positive(name, value);
                case "known-at" -> o.knownAt = instant(name, value);
                case "query-jar" -> o.queryJar = value;
                default -> {
                    if (name.startsWith("skip-") && SKIPPABLE.contains(name.substring(5))) {
                        if (Boolean.parseBoolean(value)) {
                            o.skipped.add(name.substring(5));
                        }
                    } else if (!o.accept(name, value) && !o.lag.accept(name, value)) {
                        throw new Options.BadArguments("unknown option --" + name);
                    }
                }
            }
        });
        return o;
    }

    private static Instant instant(String name, String value) throws Options.BadArguments {
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new Options.BadArguments("--" + name + " must be a UTC instant such as 2025-03-31T00:00:00Z, not '"
                    + value + "'");
        }
    }
}
