package org.convergenceledger.benchmark;

import static org.convergenceledger.benchmark.Report.describe;
import static org.convergenceledger.benchmark.Report.firstLine;
import static org.convergenceledger.benchmark.Report.indent;
import static org.convergenceledger.benchmark.Report.kv;
import static org.convergenceledger.benchmark.Report.machine;
import static org.convergenceledger.benchmark.Report.ms;
import static org.convergenceledger.benchmark.Report.num;
import static org.convergenceledger.benchmark.Report.triple;

import java.io.IOException;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The command-path benchmark: drives a running Convergence Ledger and prints, for each concurrency level, the
 * command rate and latency, the lag until the query service shows a commit, and the raw limit of the same database
 * at the same concurrency measured in the same run (see docs/benchmarks.md). Not a test: it asserts nothing, it measures.
 */
public final class CommandPathBenchmark {

    private static final PrintStream OUT = System.out;
    /** Issue 12's targets: the ratio to single-row inserts at 8 and at 32 clients, p50 at 1 client. */
    private static final Map<Integer, Double> RATIO_TARGETS = Map.of(8, 0.15, 32, 0.25);
    private static final double P50_TARGET_MS_AT_ONE = 2;
    private static final double LAG_P99_TARGET_MS = 1000;
    private static final int RAW_WARMUP_SECONDS = 2;

    /** One level of one run: the commands, the catch-up, both raw limits and the CPU the command phase used. */
    private record Level(int run, CommandPath.Result command, CatchUp.Outcome catchUp, RawInsert.Result raw,
                         RawInsert.Result batched, CpuShare.Use cpu) {
        double ratio() {
            double raw = this.raw.insertsPerSecond();
            return raw > 0 ? command.commandsPerSecond() / raw : Double.NaN;
        }

        double batchedRatio() {
            double rows = batched.insertsPerSecond();
            return rows > 0 ? command.commandsPerSecond() / rows : Double.NaN;
        }

        boolean lagUnderTarget() {
            return command.lag().count() > 0 && command.lag().p99() < LAG_P99_TARGET_MS
                    && command.lagTimeouts() == 0;
        }
    }

    public static void main(String[] args) {
        Launch.main("benchmark", args, Options::parse, options -> options.help, Options.USAGE,
                options -> new CommandPathBenchmark(options).run());
    }

    private final Options options;
    private final String runTag;
    private final LedgerHttp http;
    private final RawInsert raw;
    private final CatchUp catchUp;
    private volatile boolean tableCreated;

    private CommandPathBenchmark(Options options) {
        this.options = options;
        this.runTag = Report.newRunTag();
        this.http = new LedgerHttp(options.commandUrl, options.queryUrl,
                Duration.ofSeconds(options.requestTimeoutSeconds));
        this.raw = new RawInsert(options.jdbcUrl, options.dbUser, options.dbPassword,
                options.requestTimeoutSeconds);
        this.catchUp = new CatchUp(http, options.commandUrl, options.queryUrl, options.catchUpTimeoutSeconds,
                LedgerHttp.AGENCY);
    }

    private void run() throws Exception {
        printHeader();
        preflight();
        setUp();
        Thread dropOnExit = new Thread(this::dropTableQuietly, "drop-" + RawInsert.TABLE);
        Runtime.getRuntime().addShutdownHook(dropOnExit);
        List<Level> levels = new ArrayList<>();
        RawInsert.EventShape shape = null;
        try {
            awaitCatchUp("before the first level:", warmUp());
            for (int run = 1; run <= options.runs; run++) {
                for (int threads : options.levels) {
                    OUT.printf(Locale.ROOT, "%n[run %d/%d, level %d]%n", run, options.runs, threads);
                    CpuShare cpu = CpuShare.start();
                    CommandPath.Result command = commandLevel(threads);
                    CpuShare.Use used = cpu.stop();
                    OUT.printf(Locale.ROOT, "[level %d] CPU during the commands: %.2f cores busy, of which this load "
                            + "generator %.2f (%.0f %%)%n", threads, used.machineCores(), used.generatorCores(),
                            100 * used.generatorShare());
                    CatchUp.Outcome caughtUp = awaitCatchUp("[level " + threads + "]", command.endedAtNanos());
                    if (shape == null) {
                        shape = measureEvents("events stored so far in this run");
                        raw.createTable();
                        tableCreated = true;
                        rawWarmUp(shape);
                    }
                    RawInsert.Result single = rawLevel(shape, threads, command, 1);
                    RawInsert.Result batched = rawLevel(shape, threads, command, options.batchRows);
                    levels.add(new Level(run, command, caughtUp, single, batched, used));
                }
            }
            measureEvents("all events stored in this run (for the record; the raw rows used the figure above)");
        } finally {
            dropTableQuietly();
        }
        printSummary(levels, shape);
    }

    // --- start ------------------------------------------------------------------------------------------------------

    private void printHeader() {
        long levelsCount = options.levels.size();
        String levelList = options.levels.stream().map(String::valueOf).collect(Collectors.joining(", "));
        OUT.println("== Convergence Ledger: command-path benchmark ==");
        OUT.println("run tag          " + runTag + "  (activities " + LedgerHttp.AGENCY + ":" + runTag + "-…)");
        OUT.println("workload         concurrency levels " + levelList + " (worker threads)");
        if (options.byCount()) {
            OUT.printf(Locale.ROOT, "                 per level: %d activities proposed then committed (%d commands), "
                    + "then %d raw INSERTs at the same concurrency%n", options.perLevelActivities,
                    2L * options.perLevelActivities, 2L * options.perLevelActivities);
        } else {
            OUT.printf(Locale.ROOT, "                 per level and run: %d s of propose+commit, then %d s of single-row "
                    + "and %d s of batched raw INSERTs at the same concurrency; %d run(s) (about %d s in all with the "
                    + "warm-ups, plus the catch-ups)%n", options.perLevelSeconds, options.perLevelSeconds,
                    options.perLevelSeconds, options.runs, options.warmupSeconds + RAW_WARMUP_SECONDS
                            + 3L * options.runs * levelsCount * options.perLevelSeconds);
        }
        OUT.printf(Locale.ROOT, "                 warm-up (not recorded): %s; raw inserts %d s%n",
                options.warmupSeconds == 0 ? "none"
                        : options.warmupSeconds + " s of propose+commit at " + warmupThreads() + " threads",
                RAW_WARMUP_SECONDS);
        OUT.println("lag              " + lag().describe() + "; at least " + options.lagMinSamples
                + " samples per level (a level runs on, up to 3 times its seconds, until it has them)");
        OUT.println("raw limits       single-row INSERT transactions (autocommit), and " + options.batchRows
                + "-row batched INSERT transactions (the group-commit limit), same threads and seconds");
        OUT.printf(Locale.ROOT, "catch-up         after the warm-up and after each command phase, wait (at most %d s) "
                + "until the query side has applied every stored event%n", options.catchUpTimeoutSeconds);
        OUT.println("machine          " + machine());
        OUT.println("command-service  " + options.commandUrl);
        OUT.println("query-service    " + options.queryUrl);
        OUT.println("database         " + options.jdbcUrl + " (user " + options.dbUser + ")");
        OUT.println();
    }

    private int warmupThreads() {
        return Math.min(8, options.levels.stream().mapToInt(Integer::intValue).max().orElse(1));
    }

    /** Fails with one message naming every part of the system that does not answer. */
    private void preflight() throws Fatal, InterruptedException {
        List<String> problems = new ArrayList<>();
        http.checkHealth("command-service", options.commandUrl, problems);
        http.checkHealth("query-service", options.queryUrl, problems);
        try (Connection c = raw.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT to_regclass('domainevententry') IS NOT NULL")) {
            r.next();
            if (!r.getBoolean(1)) {
                problems.add("database: connected to " + options.jdbcUrl + ", but it has no domainevententry table "
                        + "(is it the command service's database, and has the service started once?)");
            }
        } catch (SQLException e) {
            problems.add("database: cannot connect to " + options.jdbcUrl + " as " + options.dbUser + ": "
                    + firstLine(e.getMessage()));
        }
        if (!problems.isEmpty()) {
            throw new Fatal("the system is not reachable, nothing was measured:\n  - "
                    + String.join("\n  - ", problems)
                    + "\nStart it with `deploy/local.sh start` (it returns once both services are healthy), or point "
                    + "--command-url, --query-url and --jdbc-url at the running system.");
        }
        OUT.println("preflight        both services answer UP, the command database answers");
        try {
            OUT.println("database server  " + raw.serverSettings());
        } catch (SQLException e) {
            OUT.println("database server  (settings not readable: " + firstLine(e.getMessage()) + ")");
        }
    }

    private void setUp() throws Fatal, InterruptedException {
        try {
            LedgerSetup.requireCreatedOrExists("register agency " + LedgerHttp.AGENCY, http.registerAgency());
            LedgerSetup.requireCreatedOrExists("define axis " + LedgerHttp.AXIS, http.defineAxis());
        } catch (IOException e) {
            throw new Fatal("setting up the benchmark agency and axis failed: " + e);
        }
        OUT.println("set-up           agency " + LedgerHttp.AGENCY + " and axis " + LedgerHttp.AXIS + " present");
    }

    // --- phases -----------------------------------------------------------------------------------------------------

    /** @return when the warm-up's load stopped (now if there is none) */
    private long warmUp() throws Exception {
        if (options.warmupSeconds == 0) {
            return System.nanoTime();
        }
        OUT.printf(Locale.ROOT, "%nwarm-up          %d s at %d threads…%n", options.warmupSeconds, warmupThreads());
        CommandPath.Result r = CommandPath.run(http, options, runTag, "w", warmupThreads(), options.warmupSeconds, 0);
        OUT.printf(Locale.ROOT, "warm-up          %d commands (%.1f/s), %d errors — not recorded%n", r.commands(),
                r.commandsPerSecond(), r.errors().total());
        if (r.commands() == 0) {
            throw new Fatal("no command succeeded during the warm-up: the command service is broken for this "
                    + "workload.\n" + describe(r.errors()));
        }
        return r.endedAtNanos();
    }

    private CommandPath.Result commandLevel(int threads) throws Exception {
        OUT.printf(Locale.ROOT, "%n[level %d] command path…%n", threads);
        CommandPath.Result r = CommandPath.run(http, lag(), LedgerHttp.AGENCY, "YOUTH", runTag,
                "c" + threads + "-" + System.nanoTime() % 100_000, threads, options.perLevelSeconds,
                options.byCount() ? options.perLevelActivities : 0, options.byCount() ? 0 : options.lagMinSamples);
        Latencies.Summary all = r.all();
        OUT.printf(Locale.ROOT, "[level %d] %d commands in %.1f s = %.1f commands/s; latency ms p50 %s p95 %s p99 %s; "
                        + "errors %d%n", threads, r.commands(), r.seconds(), r.commandsPerSecond(), ms(all.p50()),
                ms(all.p95()), ms(all.p99()), r.errors().total());
        OUT.printf(Locale.ROOT, "[level %d] lag to the query service: %d sampled, p50 %s ms, p99 %s ms, max %s ms, "
                        + "%d timeouts (%d polls = %.0f/s)%n", threads, r.lag().count(), ms(r.lag().p50()),
                ms(r.lag().p99()), ms(r.lag().max()), r.lagTimeouts(), r.lagPolls(),
                r.lagPolls() / Math.max(r.seconds(), 1e-9));
        if (r.errors().total() > 0) {
            OUT.println(indent(describe(r.errors())));
        }
        if (r.pollErrors().total() > 0) {
            OUT.println("[level " + threads + "] query-service errors while polling (not command errors):");
            OUT.println(indent(describe(r.pollErrors())));
        }
        if (r.commands() == 0) {
            throw new Fatal("no command succeeded at level " + threads + ": the system stopped answering.\n"
                    + describe(r.errors()));
        }
        return r;
    }

    /**
     * The lag sampler, its bounds raised so that a phase of --per-level-seconds can sample --lag-min-samples commits
     * at a lag up to the 1 s target (as the read-side benchmark does).
     */
    private LagOptions lag() {
        int min = options.lagMinSamples;
        if (min == 0 || options.byCount()) {
            return options.lag;
        }
        return options.lag.raised(
                (int) Math.ceil(2.0 * min * LAG_P99_TARGET_MS / (options.perLevelSeconds * 1000.0)),
                (int) Math.max(1, options.perLevelSeconds * 1000L / (2L * min)));
    }

    /** Lets the query side apply the backlog, so the next phase starts from a quiet system. */
    private CatchUp.Outcome awaitCatchUp(String label, long since) throws InterruptedException {
        CatchUp.Outcome outcome = catchUp.await(runTag, since);
        OUT.printf(Locale.ROOT, "%s query side %s %.1f s after the last command: %s%n", label,
                outcome.caughtUp() ? "caught up" : "did NOT catch up", outcome.seconds(), outcome.detail());
        return outcome;
    }

    private RawInsert.EventShape measureEvents(String what) throws Fatal {
        try {
            RawInsert.EventShape shape = raw.measure(LedgerHttp.AGENCY + ":" + runTag + "-");
            OUT.printf(Locale.ROOT, "%nevent size       %s: %d events, payload %d bytes, metadata %d bytes on "
                            + "average%s%n", what, shape.events(), shape.payloadBytes(), shape.metadataBytes(),
                    shape.wholeTable() ? " (whole table: none of this run's events were found)" : "");
            return shape;
        } catch (SQLException e) {
            throw new Fatal("measuring the stored event size failed: " + e.getMessage());
        }
    }

    private void rawWarmUp(RawInsert.EventShape shape) throws Exception {
        OUT.printf(Locale.ROOT, "raw warm-up      %d s at %d threads into %s (created; dropped at the end)%n",
                RAW_WARMUP_SECONDS, warmupThreads(), RawInsert.TABLE);
        raw.run(shape, runTag, "w", warmupThreads(), RAW_WARMUP_SECONDS, 0);
    }

    private RawInsert.Result rawLevel(RawInsert.EventShape shape, int threads, CommandPath.Result command,
                                      int batchRows) throws Exception {
        String kind = batchRows == 1 ? "single-row" : batchRows + "-row batched";
        OUT.printf(Locale.ROOT, "[level %d] raw %s inserts…%n", threads, kind);
        RawInsert.Result r = raw.run(shape, runTag, "c" + threads + "b" + batchRows, threads, options.perLevelSeconds,
                options.byCount() ? 2L * options.perLevelActivities : 0, batchRows);
        OUT.printf(Locale.ROOT, "[level %d] %d rows in %.2f s = %.1f rows/s (%s); transaction ms p50 %s p95 %s p99 %s;"
                        + " errors %d%n", threads, r.inserts(), r.seconds(), r.insertsPerSecond(), kind,
                ms(r.latency().p50()), ms(r.latency().p95()), ms(r.latency().p99()), r.errors().total());
        if (r.errors().total() > 0) {
            OUT.println(indent(describe(r.errors())));
        }
        double ratio = r.insertsPerSecond() > 0 ? command.commandsPerSecond() / r.insertsPerSecond() : Double.NaN;
        OUT.printf(Locale.ROOT, "[level %d] commands/s ÷ %s rows/s = %s%n", threads, kind, ratio(ratio));
        return r;
    }

    private void dropTableQuietly() {
        if (!tableCreated) {
            return;
        }
        try {
            raw.dropTable();
            tableCreated = false;
        } catch (SQLException e) {
            System.err.println("benchmark: could not drop " + RawInsert.TABLE + ": " + e.getMessage());
        }
    }

    // --- results ----------------------------------------------------------------------------------------------------

    private void printSummary(List<Level> levels, RawInsert.EventShape shape) {
        OUT.println();
        OUT.println("== Results ==");
        OUT.printf(Locale.ROOT, "commands: propose + commit, each one HTTP request storing one event. raw: INSERT "
                + "transactions of %d+%d-byte rows into a copy of domainevententry, one row each (single) or %d "
                + "(batched).%n", shape.payloadBytes(), shape.metadataBytes(), options.batchRows);
        OUT.println("latencies in ms; lag = commit's 200 received → first GET of the query service showing COMMITTED;");
        OUT.println("catch-up = after the level's last command, time until the query side had applied every stored "
                + "event (! = it had not, within the timeout); cpu = cores busy during the commands (all / generator)");
        OUT.println();
        String head = String.format(Locale.ROOT,
                "%3s | %5s | %8s | %-20s | %4s | %9s | %9s | %5s | %-15s | %7s | %6s | %6s | %s",
                "run", "level", "cmds/s", "cmd p50 / p95 / p99", "err", "single/s", "batched/s", "lag n",
                "lag p50 / p99", "catch-up", "ratio", "ratio+", "cpu all / gen");
        OUT.println(head);
        OUT.println("-".repeat(head.length()));
        for (Level level : levels) {
            CommandPath.Result c = level.command();
            OUT.printf(Locale.ROOT, "%3d | %5d | %8.1f | %-20s | %4d | %9.1f | %9.1f | %5d | %-15s | %7s | %6s | %6s | "
                            + "%.2f / %.2f%n", level.run(), c.threads(), c.commandsPerSecond(), triple(c.all()),
                    c.errors().total(), level.raw().insertsPerSecond(), level.batched().insertsPerSecond(),
                    c.lag().count(), ms(c.lag().p50()) + " / " + ms(c.lag().p99()),
                    String.format(Locale.ROOT, "%.1f s%s", level.catchUp().seconds(),
                            level.catchUp().caughtUp() ? "" : "!"), ratio(level.ratio()),
                    ratio(level.batchedRatio()), level.cpu().machineCores(), level.cpu().generatorCores());
        }
        OUT.println();
        OUT.printf(Locale.ROOT, "median of %d run(s) per level (ratio = commands/s ÷ single-row inserts/s; ratio+ = "
                + "÷ batched rows/s):%n", options.runs);
        String medianHead = String.format(Locale.ROOT, "%5s | %8s | %8s | %9s | %9s | %6s | %6s | %9s | %s", "level",
                "cmds/s", "cmd p50", "single/s", "batched/s", "ratio", "ratio+", "lag p99", "target");
        OUT.println(medianHead);
        OUT.println("-".repeat(medianHead.length()));
        List<String> missed = new ArrayList<>();
        for (int threads : options.levels) {
            List<Level> runs = levels.stream().filter(l -> l.command().threads() == threads).toList();
            double cmds = median(runs, l -> l.command().commandsPerSecond());
            double p50 = median(runs, l -> l.command().all().p50());
            double ratio = median(runs, Level::ratio);
            double lagP99 = median(runs, l -> l.command().lag().p99());
            List<String> targets = new ArrayList<>();
            if (RATIO_TARGETS.containsKey(threads)) {
                boolean met = ratio >= RATIO_TARGETS.get(threads);
                targets.add(String.format(Locale.ROOT, "ratio ≥ %.2f %s", RATIO_TARGETS.get(threads), met ? "✓" : "✗"));
                if (!met) {
                    missed.add(String.format(Locale.ROOT, "ratio at %d: %.3f of %.2f", threads, ratio,
                            RATIO_TARGETS.get(threads)));
                }
            }
            if (threads == 1) {
                boolean met = p50 <= P50_TARGET_MS_AT_ONE;
                targets.add(String.format(Locale.ROOT, "p50 ≤ %.0f ms %s", P50_TARGET_MS_AT_ONE, met ? "✓" : "✗"));
                if (!met) {
                    missed.add(String.format(Locale.ROOT, "p50 at 1: %.1f ms of %.0f", p50, P50_TARGET_MS_AT_ONE));
                }
            }
            boolean lagMet = runs.stream().allMatch(Level::lagUnderTarget);
            targets.add("lag p99 < 1 s " + (lagMet ? "✓" : "✗"));
            if (!lagMet) {
                missed.add("lag p99 at " + threads);
            }
            OUT.printf(Locale.ROOT, "%5d | %8.1f | %8s | %9.1f | %9.1f | %6s | %6s | %9s | %s%n", threads, cmds,
                    ms(p50), median(runs, l -> l.raw().insertsPerSecond()),
                    median(runs, l -> l.batched().insertsPerSecond()), ratio(ratio),
                    ratio(median(runs, Level::batchedRatio)), ms(lagP99), String.join(", ", targets));
        }
        OUT.println();
        for (Level level : levels) {
            OUT.println(machineLine(level, shape));
        }
        OUT.println();
        long errors = levels.stream().mapToLong(l -> l.command().errors().total()).sum();
        OUT.println("targets: " + (missed.isEmpty() ? "all met" : "missed — " + String.join("; ", missed)));
        OUT.println("command errors: " + errors + (errors == 0 ? "" : " (see the level lines above)"));
    }

    private static double median(List<Level> runs, java.util.function.ToDoubleFunction<Level> value) {
        double[] sorted = runs.stream().mapToDouble(value).sorted().toArray();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /** One line per level, key=value, for scripts: grep '^BENCHMARK ' and split on spaces. */
    private String machineLine(Level level, RawInsert.EventShape shape) {
        CommandPath.Result c = level.command();
        RawInsert.Result r = level.raw();
        StringBuilder b = new StringBuilder("BENCHMARK name=command-path run=").append(runTag);
        kv(b, "repeat", level.run());
        kv(b, "level", c.threads());
        kv(b, "seconds", num(c.seconds()));
        kv(b, "activities", c.activities());
        kv(b, "commands", c.commands());
        kv(b, "commands_per_s", num(c.commandsPerSecond()));
        kv(b, "cmd_p50_ms", num(c.all().p50()));
        kv(b, "cmd_p95_ms", num(c.all().p95()));
        kv(b, "cmd_p99_ms", num(c.all().p99()));
        kv(b, "propose_p50_ms", num(c.propose().p50()));
        kv(b, "propose_p99_ms", num(c.propose().p99()));
        kv(b, "commit_p50_ms", num(c.commit().p50()));
        kv(b, "commit_p99_ms", num(c.commit().p99()));
        kv(b, "errors", c.errors().total());
        kv(b, "lag_samples", c.lag().count());
        kv(b, "lag_p50_ms", num(c.lag().p50()));
        kv(b, "lag_p99_ms", num(c.lag().p99()));
        kv(b, "lag_timeouts", c.lagTimeouts());
        kv(b, "catch_up_s", num(level.catchUp().seconds()));
        kv(b, "caught_up", level.catchUp().caughtUp());
        kv(b, "raw_seconds", num(r.seconds()));
        kv(b, "raw_inserts", r.inserts());
        kv(b, "raw_per_s", num(r.insertsPerSecond()));
        kv(b, "raw_p50_ms", num(r.latency().p50()));
        kv(b, "raw_p95_ms", num(r.latency().p95()));
        kv(b, "raw_p99_ms", num(r.latency().p99()));
        kv(b, "raw_errors", r.errors().total());
        kv(b, "payload_bytes", shape.payloadBytes());
        kv(b, "metadata_bytes", shape.metadataBytes());
        kv(b, "batched_rows_per_s", num(level.batched().insertsPerSecond()));
        kv(b, "batch_rows", options.batchRows);
        kv(b, "ratio", num(level.ratio()));
        kv(b, "ratio_batched", num(level.batchedRatio()));
        kv(b, "cpu_cores", num(level.cpu().machineCores()));
        kv(b, "generator_cores", num(level.cpu().generatorCores()));
        kv(b, "lag_ok", level.lagUnderTarget());
        return b.toString();
    }

    private static String ratio(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.2f", value);
    }
}
