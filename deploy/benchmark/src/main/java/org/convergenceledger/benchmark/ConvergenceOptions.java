package org.convergenceledger.benchmark;

/** The convergence benchmark's command line (parsed with {@link Options#each} and its value checks). */
final class ConvergenceOptions extends PortfolioOptions {

    static final String USAGE = """
            usage: java -cp benchmark-0.1.0-SNAPSHOT-exec.jar -Dloader.main=org.convergenceledger.benchmark.ConvergenceBenchmark \\
                        org.springframework.boot.loader.launch.PropertiesLauncher [options]

            Drives a RUNNING Convergence Ledger (deploy/local.sh start): registers 12 agencies (BENCHA…BENCHL) and
            the six axes, proposes N activities (a share of them committed) generated from a seed, waits until the
            query service has applied them, times the convergence reads, then rebuilds the activity-view projection
            and times the replay. The command database is read for the server's settings, the query
            database to count the pairs in convergence_pair (both optional).

            options (also accepted as --name=value):
            """ + PortfolioOptions.SYSTEM_USAGE + """
              --activities N               activities to propose (default 100000)
              --commit-percent N           share of them committed right after the proposal, 0–100 (default 40)
              --concurrency N              worker threads sending the commands (default 16)
              --seed N                     the workload's seed: same seed, same activities (default 2024)
              --run-tag TAG                the activity ids' middle part, BENCHx:TAG-n (default r<date>-<time>-<random>)
              --read-repeats N             timed calls per read, after 5 warm-up calls (default 50)
              --progress-seconds N         a progress line every N seconds during load, catch-up, rebuild (default 10)
              --request-timeout-seconds N  one HTTP request (default 60)
              --catch-up-timeout-seconds N after the load, wait at most N s for the query side (default 1800)
              --rebuild-timeout-seconds N  wait at most N s for the rebuild to complete (default 1800)
              --skip-rebuild               do not rebuild the projection at the end
              --dry-run                    only generate the workload and print what the view should find
                                           (expected pairs); touches no service
              --help                       this text

            exit status: 0 run completed (figures printed, errors counted in them; a catch-up or rebuild that did
            not finish in time is printed as such), 1 system unreachable or broken, 2 bad arguments.
            """;

    int commitPercent = 40;
    boolean skipRebuild;
    boolean dryRun;

    static ConvergenceOptions parse(String[] args) throws Options.BadArguments {
        ConvergenceOptions o = new ConvergenceOptions();
        o.help = Options.each(Options.flags(args, "skip-rebuild", "dry-run"), (name, value) -> {
            switch (name) {
                case "commit-percent" -> {
                    o.commitPercent = Options.nonNegative(name, value);
                    if (o.commitPercent > 100) {
                        throw new Options.BadArguments("--commit-percent must be 0–100, not " + value);
                    }
                }
                case "skip-rebuild" -> o.skipRebuild = Boolean.parseBoolean(value);
                case "dry-run" -> o.dryRun = Boolean.parseBoolean(value);
                default -> {
                    if (!o.accept(name, value)) {
                        throw new Options.BadArguments("unknown option --" + name);
                    }
                }
            }
        });
        return o;
    }
}
