package org.convergenceledger.benchmark;

import static org.convergenceledger.benchmark.Report.describe;
import static org.convergenceledger.benchmark.Report.firstLine;
import static org.convergenceledger.benchmark.Report.indent;
import static org.convergenceledger.benchmark.Report.kv;
import static org.convergenceledger.benchmark.Report.machine;
import static org.convergenceledger.benchmark.Report.ms;
import static org.convergenceledger.benchmark.Report.num;
import static org.convergenceledger.benchmark.Report.rate;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The read-side benchmark: how fast the query side applies a backlog, how far it lags behind commands, how fast it
 * answers the convergence reads (live and about past moments, alone and under a storm of past reads), how fast it
 * rebuilds a view and an auditor replays it — each next to the raw limit of the same database or service measured in
 * the same run (see deploy/benchmark/README.md and docs/benchmarks.md). Not a test: it asserts nothing, it measures.
 */
public final class ReadSideBenchmark {

    private static final PrintStream OUT = System.out;
    private static final String VIEW = "activity-view";
    private static final String AUDIT = "audit-history";
    private static final List<String> PROJECTIONS = List.of(VIEW, AUDIT);
    private static final int READ_WARMUPS = 5;
    private static final int HEALTH_CALLS = 50;
    private static final int STORM_PAST_THREADS = 12;
    private static final int STORM_LIVE_THREADS = 2;
    private static final String VALID_AT = "2015-06-30T00:00:00Z";
    /** The lag samples' lead agency: one the program registers. */
    private static final String PROBE_AGENCY = Workload.AGENCY_CODES.get(0);

    private static final double APPLY_TARGET = 5_000;
    private static final double LAG_P99_TARGET_MS = 1_000;
    private static final double LIVE_P95_TARGET_MS = 50;
    private static final double PAST_P95_TARGET_MS = 300;
    private static final double STORM_LIVE_P95_TARGET_MS = 100;
    private static final double REBUILD_TARGET = 50_000;
    private static final double REPLAY_TARGET = 20_000;

    /** The reads timed, in order: a label for the BENCHMARK lines, and the query service path. */
    private static final List<String[]> READS = ConvergenceReads.of(
            ConvergenceReads.matrices("axis", "agency", "axis", "region", "region", "agency", "region", "targetGroup"),
            List.of(new String[] {"matrix-axis-agency-BENCHA",
                            "/api/convergence/matrix?rows=axis&cols=agency&agency=BENCHA"},
                    new String[] {"matrix-axis-region-started",
                            "/api/convergence/matrix?rows=axis&cols=region&state=STARTED"}),
            ConvergenceReads.OTHERS,
            List.<String[]>of(new String[] {"progress-gender", "/api/convergence/progress?axis=GENDER"}));
    /** What the live readers of the storm ask, in turn. */
    private static final List<String> STORM_LIVE_READS = List.of("/api/convergence/matrix?rows=axis&cols=agency",
            "/api/convergence/axes", "/api/convergence/duplications");

    public static void main(String[] args) {
        Launch.main("read-side benchmark", args, ReadSideOptions::parse, options -> options.help,
                ReadSideOptions.USAGE, options -> new ReadSideBenchmark(options).run());
    }

    // --- results of the phases --------------------------------------------------------------------------------------

    private record Load(long activities, long commands, double seconds, Latencies.Summary latency,
                        Map<String, Long> byKind, Errors errors, long headAtPause, long headAfter,
                        Map<String, Long> positionsAtPause, Instant knownAt) {
        long events() {
            return headAfter - headAtPause;
        }

        double commandsPerSecond() {
            return seconds > 0 ? commands / seconds : Double.NaN;
        }
    }

    /** {@code firstSeconds}: from the resume to the first position past the one at the pause (NaN: not seen). */
    private record Apply(String projection, long events, double seconds, double firstSeconds, boolean caughtUp) {
        double eventsPerSecond() {
            return caughtUp && seconds > 0 ? events / seconds : Double.NaN;
        }
    }

    /** A read in one mode (live, knownAt, validAt, both). */
    private record ModeRead(String mode, TimedReads.Read read) {
        boolean past() {
            return !mode.equals("live");
        }

        double target() {
            return past() ? PAST_P95_TARGET_MS : LIVE_P95_TARGET_MS;
        }

        boolean ok() {
            return read.latency().count() > 0 && read.latency().p95() < target();
        }
    }

    private record Storm(double seconds, Map<String, Long> statuses, Latencies.Summary live, Latencies.Summary past,
                         String firstFailure) {
        long count(String status) {
            return statuses.getOrDefault(status, 0L);
        }

        boolean ok() {
            return count("5xx") == 0 && live.count() > 0 && live.p95() < STORM_LIVE_P95_TARGET_MS;
        }
    }

    private record Raw(RawLoad.Result copy, RawLoad.Result insert, TimedReads.Read health, String problem) {
        double copyPerSecond() {
            return copy == null ? Double.NaN : copy.rowsPerSecond();
        }

        double insertPerSecond() {
            return insert == null ? Double.NaN : insert.rowsPerSecond();
        }
    }

    private final ReadSideOptions options;
    private final String runTag;
    private final Lifecycle lifecycle;
    private final LedgerHttp http;
    private final CatchUp catchUp;
    private final RawInsert commandDb;
    private final RawInsert queryDb;
    private final List<String> summary = new ArrayList<>();
    private final List<String> lines = new ArrayList<>();
    /** Projections this run paused and has not resumed yet: resumed by the shutdown hook if the run ends early. */
    private final List<String> paused = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile RawLoad rawTable;
    /** The apply rates, set against the multi-row INSERT limit at the end. */
    private List<Apply> applied = List.of();
    /** The live reads' p50s, sorted: their median is set against the request overhead at the end. */
    private double[] liveP50s = new double[0];
    /** Each phase's wall time, in order. */
    private final Map<String, Double> phaseSeconds = new LinkedHashMap<>();

    private ReadSideBenchmark(ReadSideOptions options) {
        this.options = options;
        this.runTag = options.runTagOrNew();
        this.lifecycle = new Lifecycle(options.seed, runTag);
        this.http = options.http();
        this.catchUp = new CatchUp(http, options.commandUrl, options.queryUrl, options.catchUpTimeoutSeconds,
                PROBE_AGENCY);
        // RawInsert is used here only for its JDBC connection and the server settings
        this.commandDb = options.commandDatabase();
        this.queryDb = options.queryDatabase();
    }

    private void run() throws Exception {
        long started = System.nanoTime();
        Map<String, Long> planned = printHeader();
        LedgerSetup.preflight(http, catchUp, options.commandUrl, options.queryUrl, PROJECTIONS, commandDb, queryDb);
        LedgerSetup.registerPortfolio(http);
        issueKeys();
        Runtime.getRuntime().addShutdownHook(new Thread(this::cleanUp, "read-side-clean-up"));
        awaitQuiet("at the start");

        Load load = options.runs("load") ? timed("load", () -> load(planned)) : null;
        if (load != null) {
            List<Apply> applied = timed("apply", () -> applyBacklog(load));
            report(load, applied);
        }
        Instant knownAt = options.knownAt != null ? options.knownAt : load != null ? load.knownAt()
                : Instant.now().truncatedTo(ChronoUnit.MILLIS);
        if (options.runs("lag")) {
            timed("lag", () -> lag());
        }
        if (options.runs("reads")) {
            timed("reads", () -> reads(knownAt));
        }
        if (options.runs("storm")) {
            timed("storm", () -> storm(knownAt));
        }
        ProjectionRebuild.Status rebuild = options.runs("rebuild") ? timed("rebuild", this::rebuild) : null;
        ReplayRun.Result replay = options.runs("replay") ? timed("replay", this::replay) : null;
        Raw raw = options.runs("raw") ? timed("raw", () -> raw(load)) : null;
        summary.add(String.format(Locale.ROOT, "time      %s; whole run %.1f min", phaseSeconds.entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%s %.0f s", e.getKey(), e.getValue()))
                .collect(Collectors.joining(", ")), (System.nanoTime() - started) / 60e9));
        printResults(load, rebuild, replay, raw);
    }

    private interface PhaseBody<T> {
        T run() throws Exception;
    }

    private interface VoidPhaseBody {
        void run() throws Exception;
    }

    /** Runs a phase and keeps its wall time for the results (the "time" line). */
    private <T> T timed(String phase, PhaseBody<T> body) throws Exception {
        long start = System.nanoTime();
        try {
            return body.run();
        } finally {
            phaseSeconds.put(phase, (System.nanoTime() - start) / 1e9);
        }
    }

    private void timed(String phase, VoidPhaseBody body) throws Exception {
        timed(phase, () -> {
            body.run();
            return null;
        });
    }

    // --- start ------------------------------------------------------------------------------------------------------

    /** @return the backlog's commands per kind, as planned */
    private Map<String, Long> printHeader() {
        OUT.println("== Convergence Ledger: read-side benchmark ==");
        OUT.println("run tag          " + runTag + "  (activities BENCHA…BENCHL:" + runTag + "-n)");
        Map<String, Long> planned = options.runs("load") ? lifecycle.kinds(options.activities) : Map.of();
        long commands = planned.values().stream().mapToLong(Long::longValue).sum();
        List<String> workload = new ArrayList<>();
        if (options.runs("load")) {
            workload.add(String.format(Locale.ROOT, "backlog: %,d activities from %d agencies, seed %d, %d worker "
                            + "threads, both projections paused; %s; planned %s = %,d commands (%.2f events per "
                            + "activity)", options.activities, Workload.AGENCY_CODES.size(), options.seed,
                    options.concurrency, Lifecycle.rule(), describeKinds(planned), commands,
                    commands / (double) options.activities));
        }
        if (options.runs("lag")) {
            workload.add(String.format(Locale.ROOT, "lag: %s worker threads, %d s each of propose+commit (agency "
                            + "%s, target group %s), at least %d samples per level", levels(), options.lagSeconds,
                    PROBE_AGENCY, LedgerHttp.PROBE_GROUP, options.lagMinSamples));
        }
        if (options.runs("reads")) {
            workload.add(String.format(Locale.ROOT, "reads: %d reads × 4 moments (live, knownAt, validAt=%s, both), "
                    + "%d warm-up + %d timed sequential calls each", READS.size(), VALID_AT, READ_WARMUPS,
                    options.readRepeats));
        }
        if (options.runs("storm")) {
            workload.add(String.format(Locale.ROOT, "storm: %d threads of past reads beside %d of live reads for %d s",
                    STORM_PAST_THREADS, STORM_LIVE_THREADS, options.stormSeconds));
        }
        List<String> others = new ArrayList<>();
        for (String phase : List.of("rebuild", "replay", "raw")) {
            if (options.runs(phase)) {
                others.add(phase);
            }
        }
        if (!others.isEmpty()) {
            workload.add("then " + String.join(", ", others));
        }
        if (!options.skipped.isEmpty()) {
            workload.add("skipped: " + String.join(", ", options.skipped));
        }
        OUT.println("workload         " + String.join("\n                 ", workload));
        OUT.println("machine          " + machine());
        OUT.println("command-service  " + options.commandUrl);
        OUT.println("query-service    " + options.queryUrl);
        OUT.println("databases        " + options.jdbcUrl + ", " + options.queryJdbcUrl + " (user " + options.dbUser
                + ")");
        summary.add("machine   " + machine());
        summary.add("workload  " + String.join("\n          ", workload));
        return planned;
    }

    private String levels() {
        return options.lagLevels.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    private static String describeKinds(Map<String, Long> kinds) {
        return kinds.entrySet().stream().map(e -> String.format(Locale.ROOT, "%,d %s", e.getValue(), e.getKey()))
                .collect(Collectors.joining(" + "));
    }

    /**
     * One key per agency and the auditor's, before anything is paused: the query side learns keys through the
     * audit history, and the replay's comparison reads an audit endpoint of the query service.
     */
    private void issueKeys() throws Fatal, InterruptedException {
        try {
            for (String agency : Workload.AGENCY_CODES) {
                http.keyOf(agency);
            }
            http.keyOf("AUDITOR");
        } catch (IOException | IllegalStateException e) {
            throw new Fatal("issuing the run's keys failed: " + e.getMessage());
        }
        OUT.println("keys             one AGENCY key per agency and an AUDITOR key issued for this run");
    }

    private CatchUp.Outcome awaitQuiet(String when) throws Fatal, InterruptedException {
        CatchUp.Outcome quiet = catchUp.await(runTag, System.nanoTime());
        if (!quiet.caughtUp()) {
            throw new Fatal("the query side is behind " + when + " (" + quiet.detail() + ") and did not catch up "
                    + "within " + options.catchUpTimeoutSeconds + " s: measure on a quiet system");
        }
        OUT.printf(Locale.ROOT, "quiet            %s: both projections at the store head (%s)%n", when,
                quiet.detail());
        return quiet;
    }

    /** Resumes what this run paused and drops the scratch table, when the run ends early (Ctrl-C, a failure). */
    private void cleanUp() {
        for (String projection : paused) {
            try {
                http.queryPost("/api/admin/projections/" + projection + "/resume");
                System.err.println("read-side benchmark: resumed " + projection + " (paused by this run)");
            } catch (IOException | InterruptedException e) {
                System.err.println("read-side benchmark: could not resume " + projection + ": " + e
                        + " — resume it: POST " + options.queryUrl + "/api/admin/projections/" + projection
                        + "/resume with the ADMIN key");
            }
        }
        RawLoad table = rawTable;
        if (table != null) {
            try {
                table.dropTable();
            } catch (SQLException e) {
                System.err.println("read-side benchmark: could not drop " + RawLoad.TABLE + ": " + e.getMessage());
            }
        }
    }

    // --- 2. backlog load --------------------------------------------------------------------------------------------

    private void projectionControl(String projection, String action) throws Fatal, InterruptedException {
        LedgerHttp.Reply reply;
        try {
            reply = http.queryPost("/api/admin/projections/" + projection + "/" + action);
        } catch (IOException e) {
            throw new Fatal(action + " " + projection + ": the query service did not answer: " + e);
        }
        if (reply.status() != 200) {
            throw new Fatal(action + " " + projection + ": the query service answered " + reply.status() + " "
                    + firstLine(reply.body()));
        }
    }

    private Load load(Map<String, Long> planned) throws Exception {
        for (String projection : PROJECTIONS) {
            paused.add(projection);
            projectionControl(projection, "pause");
        }
        Map<String, Long> positions = catchUp.appliedByProjection();
        Long head = catchUp.storeHead();
        if (head == null) {
            throw new Fatal("the command service's health stopped reporting publishing.storeHead");
        }
        OUT.printf(Locale.ROOT, "%n[load] paused %s; store head %,d. Sending %,d activities' lives (%,d commands) "
                        + "at %d threads…%n", positions.entrySet().stream().map(e -> String.format(Locale.ROOT,
                        "%s at %,d", e.getKey(), e.getValue())).collect(Collectors.joining(" and ")), head,
                options.activities, planned.values().stream().mapToLong(Long::longValue).sum(), options.concurrency);
        Errors errors = new Errors();
        List<Latencies> times = new ArrayList<>();
        Map<String, AtomicLong> byKind = new ConcurrentHashMap<>();
        AtomicLong lives = new AtomicLong();
        AtomicLong commands = new AtomicLong();
        Instant startInstant = Instant.now();
        Phase.Timing timing;
        try (Progress ignored = Progress.ofLoad(options.progressSeconds, options.activities, lives::get, "done",
                commands::get, errors, catchUp)) {
            timing = Phase.run(options.concurrency, 0, options.activities, index -> {
                Latencies mine = new Latencies();
                synchronized (times) {
                    times.add(mine);
                }
                return number -> {
                    Lifecycle.Life life = lifecycle.life((int) number);
                    Workload.Activity a = life.activity();
                    for (Lifecycle.Step step : life.steps()) {
                        boolean ok = CommandPath.timed(step.kind(), () -> step.path() == null
                                ? http.propose(step.body(), a.leadAgency(), step.occurredAt())
                                : http.step(a.id(), step.path(), step.body(), a.leadAgency(), step.occurredAt()),
                                mine, errors);
                        if (!ok) {
                            break; // the rest of this life would be refused too
                        }
                        commands.incrementAndGet();
                        byKind.computeIfAbsent(step.kind(), k -> new AtomicLong()).incrementAndGet();
                    }
                    lives.incrementAndGet();
                };
            });
        }
        Instant endInstant = Instant.now();
        Instant knownAt = startInstant.plus(Duration.between(startInstant, endInstant).dividedBy(2))
                .truncatedTo(ChronoUnit.MILLIS);
        Long headAfter = catchUp.storeHead();
        Map<String, Long> kinds = new LinkedHashMap<>();
        for (String kind : Lifecycle.KINDS) {
            kinds.put(kind, byKind.containsKey(kind) ? byKind.get(kind).get() : 0L);
        }
        Load load = new Load(timing.units(), commands.get(), timing.seconds(), Latencies.merge(times).summary(), kinds,
                errors, head, headAfter == null ? head : headAfter, positions, knownAt);
        OUT.printf(Locale.ROOT, "[load] %,d commands in %.1f s = %.1f commands/s (%s); latency ms p50 / p95 / p99 %s; "
                        + "errors %d%n", load.commands(), load.seconds(), load.commandsPerSecond(),
                describeKinds(kinds), Report.triple(load.latency()), errors.total());
        OUT.printf(Locale.ROOT, "[load] events stored: %,d (store head %,d → %,d), %.2f per activity; knownAt of the "
                        + "past reads (the load's middle): %s%n", load.events(), load.headAtPause(), load.headAfter(),
                load.events() / (double) Math.max(1, load.activities()), knownAt);
        CommandPath.reportErrors("during the load", load.commands(), errors);
        return load;
    }

    // --- 3. sustained apply -----------------------------------------------------------------------------------------

    private List<Apply> applyBacklog(Load load) throws Exception {
        long head = load.headAfter();
        boolean timed = options.runs("apply");
        OUT.printf(Locale.ROOT, "%n[apply] resuming %s; %s…%n", String.join(" and ", PROJECTIONS), timed
                ? "polling the health every 100 ms until each has applied the store head " + head
                : "--skip-apply: waiting for the catch-up, not timing it");
        long start = System.nanoTime();
        for (String projection : PROJECTIONS) {
            projectionControl(projection, "resume");
            paused.remove(projection);
        }
        if (!timed) {
            awaitQuiet("after the load");
            return List.of();
        }
        Map<String, Double> seconds = new LinkedHashMap<>();
        Map<String, Double> moved = new LinkedHashMap<>();
        long deadline = start + TimeUnit.SECONDS.toNanos(options.catchUpTimeoutSeconds);
        try (Progress ignored = new Progress(options.progressSeconds, () -> String.format(Locale.ROOT,
                "[apply %3.0f s] %s", (System.nanoTime() - start) / 1e9, catchUp.positions()))) {
            while (seconds.size() < PROJECTIONS.size() && System.nanoTime() - deadline < 0) {
                Map<String, Long> at = catchUp.appliedByProjection();
                double elapsed = (System.nanoTime() - start) / 1e9;
                for (String projection : PROJECTIONS) {
                    long position = at.getOrDefault(projection, -1L);
                    if (position > load.positionsAtPause().getOrDefault(projection, -1L)) {
                        moved.putIfAbsent(projection, elapsed);
                    }
                    if (!seconds.containsKey(projection) && position >= head) {
                        seconds.put(projection, elapsed);
                    }
                }
                Thread.sleep(100);
            }
        }
        List<Apply> applied = new ArrayList<>();
        for (String projection : PROJECTIONS) {
            long events = head - Math.max(0, load.positionsAtPause().getOrDefault(projection, 0L));
            Double s = seconds.get(projection);
            Apply apply = new Apply(projection, events, s == null ? (System.nanoTime() - start) / 1e9 : s,
                    moved.getOrDefault(projection, Double.NaN), s != null);
            applied.add(apply);
            OUT.printf(Locale.ROOT, "[apply] %-13s %,d events in %.1f s from the resume = %s events/s%s (target ≥ "
                            + "%,.0f); its position first moved %s s after the resume%n", projection, events,
                    apply.seconds(), rate(apply.eventsPerSecond()), apply.caughtUp() ? ""
                            : " — NOT at the store head within " + options.catchUpTimeoutSeconds + " s",
                    APPLY_TARGET, num(apply.firstSeconds()));
        }
        return applied;
    }

    private void report(Load load, List<Apply> applied) {
        summary.add(String.format(Locale.ROOT, "load      %,d activities, %,d commands in %.1f s = %.1f commands/s, "
                        + "p50 / p95 / p99 %s ms, %d errors; %,d events stored (%.2f per activity)",
                load.activities(), load.commands(), load.seconds(), load.commandsPerSecond(),
                Report.triple(load.latency()), load.errors().total(), load.events(),
                load.events() / (double) Math.max(1, load.activities())));
        StringBuilder b = line("read-side-load");
        kv(b, "seed", options.seed);
        kv(b, "activities", load.activities());
        kv(b, "concurrency", options.concurrency);
        load.byKind().forEach((kind, n) -> kv(b, kind, n));
        kv(b, "commands", load.commands());
        kv(b, "seconds", num(load.seconds()));
        kv(b, "commands_per_s", num(load.commandsPerSecond()));
        Report.latencies(b, "cmd", load.latency());
        kv(b, "errors", load.errors().total());
        kv(b, "events_stored", load.events());
        kv(b, "events_per_activity", num(load.events() / (double) Math.max(1, load.activities())));
        kv(b, "known_at", load.knownAt());
        lines.add(b.toString());
        for (Apply apply : applied) {
            summary.add(String.format(Locale.ROOT, "apply     %-13s %,d events in %.1f s = %s events/s (first moved "
                            + "after %s s) — target ≥ %,.0f: %s", apply.projection(), apply.events(), apply.seconds(),
                    rate(apply.eventsPerSecond()), num(apply.firstSeconds()), APPLY_TARGET,
                    verdict(apply.eventsPerSecond() >= APPLY_TARGET)));
        }
        this.applied = applied;
    }

    // --- 4. lag under load ------------------------------------------------------------------------------------------

    private void lag() throws Exception {
        int min = options.lagMinSamples;
        LagOptions lag = min == 0 ? options.lag : options.lag.raised(
                (int) Math.ceil(2.0 * min * LAG_P99_TARGET_MS / (options.lagSeconds * 1000.0)),
                (int) Math.max(1, options.lagSeconds * 1000L / (2L * min)));
        OUT.printf(Locale.ROOT, "%n[lag] %s%s%n", lag.describe(), lag.inFlight != options.lag.inFlight
                || lag.sampleGapMs != options.lag.sampleGapMs ? " (raised from " + options.lag.inFlight + " and "
                + options.lag.sampleGapMs + " ms to allow " + 2 * min + " samples in " + options.lagSeconds
                + " s at a lag of " + (int) LAG_P99_TARGET_MS + " ms)" : "");
        awaitQuiet("before the lag levels");
        for (int threads : options.lagLevels) {
            OUT.printf(Locale.ROOT, "[lag %d] %d s of propose+commit at %d threads…%n", threads, options.lagSeconds,
                    threads);
            CommandPath.Result r = CommandPath.run(http, lag, PROBE_AGENCY, LedgerHttp.PROBE_GROUP, runTag,
                    "lag" + threads, threads, options.lagSeconds, 0, min);
            CatchUp.Outcome caughtUp = catchUp.await(runTag, r.endedAtNanos());
            double pollsPerSecond = r.lagPolls() / Math.max(r.seconds(), 1e-9);
            double pollBound = lag.pollIntervalMs == 0 ? Double.POSITIVE_INFINITY
                    : lag.watchers * 1000.0 / lag.pollIntervalMs;
            boolean ok = r.lag().count() > 0 && r.lag().p99() < LAG_P99_TARGET_MS && r.lagTimeouts() == 0;
            OUT.printf(Locale.ROOT, "[lag %d] %,d commands in %.1f s = %.1f commands/s, %d errors; lag p50 %s ms, p99 "
                            + "%s ms, max %s ms over %d samples (%d timed out); watchers' polling %,d GETs = %.0f/s "
                            + "(bound %.0f/s); caught up %.1f s after the last command%n", threads, r.commands(),
                    r.seconds(), r.commandsPerSecond(), r.errors().total(), ms(r.lag().p50()), ms(r.lag().p99()),
                    ms(r.lag().max()), r.lag().count(), r.lagTimeouts(), r.lagPolls(), pollsPerSecond, pollBound,
                    caughtUp.seconds());
            CommandPath.reportErrors("at lag level " + threads, r.commands(), r.errors());
            if (r.pollErrors().total() > 0) {
                OUT.println("[lag " + threads + "] query-service errors while polling:");
                OUT.println(indent(describe(r.pollErrors())));
            }
            if (r.lag().count() < min) {
                OUT.printf(Locale.ROOT, "[lag %d] only %d samples of the %d wanted, even after running on to %.0f s%n",
                        threads, r.lag().count(), min, r.seconds());
            }
            if (!caughtUp.caughtUp()) {
                OUT.printf(Locale.ROOT, "[lag %d] the query side did NOT catch up: %s%n", threads, caughtUp.detail());
            }
            summary.add(String.format(Locale.ROOT, "lag       %2d threads: %.1f commands/s, lag p50 %s ms, p99 %s ms "
                            + "(%d samples, %d timed out; %.0f polls/s) — target p99 < %.0f ms: %s", threads,
                    r.commandsPerSecond(), ms(r.lag().p50()), ms(r.lag().p99()), r.lag().count(), r.lagTimeouts(),
                    pollsPerSecond, LAG_P99_TARGET_MS, verdict(ok)));
            StringBuilder b = line("read-side-lag");
            kv(b, "level", threads);
            kv(b, "seconds", num(r.seconds()));
            kv(b, "commands", r.commands());
            kv(b, "commands_per_s", num(r.commandsPerSecond()));
            kv(b, "errors", r.errors().total());
            kv(b, "lag_samples", r.lag().count());
            Report.latencies(b, "lag", r.lag());
            kv(b, "lag_timeouts", r.lagTimeouts());
            kv(b, "polls", r.lagPolls());
            kv(b, "polls_per_s", num(pollsPerSecond));
            kv(b, "in_flight", lag.inFlight);
            kv(b, "sample_gap_ms", lag.sampleGapMs);
            kv(b, "catch_up_s", num(caughtUp.seconds()));
            kv(b, "caught_up", caughtUp.caughtUp());
            kv(b, "target_p99_ms", num(LAG_P99_TARGET_MS));
            kv(b, "ok", ok);
            lines.add(b.toString());
        }
    }

    // --- 5. reads ---------------------------------------------------------------------------------------------------

    /** The four moments a read is asked about: mode label → query parameters. */
    private static Map<String, String> moments(Instant knownAt) {
        Map<String, String> moments = new LinkedHashMap<>();
        moments.put("live", "");
        moments.put("knownAt", "knownAt=" + knownAt);
        moments.put("validAt", "validAt=" + VALID_AT);
        moments.put("both", "knownAt=" + knownAt + "&validAt=" + VALID_AT);
        return moments;
    }

    private static String at(String path, String parameters) {
        return parameters.isEmpty() ? path : path + (path.contains("?") ? "&" : "?") + parameters;
    }

    private void reads(Instant knownAt) throws Fatal, InterruptedException {
        OUT.printf(Locale.ROOT, "%n[reads] %d reads × 4 moments (knownAt=%s, validAt=%s), %d warm-up + %d timed "
                + "sequential calls each…%n", READS.size(), knownAt, VALID_AT, READ_WARMUPS, options.readRepeats);
        Map<String, String> moments = moments(knownAt);
        List<ModeRead> all = new ArrayList<>();
        for (String[] spec : READS) {
            for (Map.Entry<String, String> moment : moments.entrySet()) {
                TimedReads.Read read = TimedReads.time(http, spec[0], at(spec[1], moment.getValue()), READ_WARMUPS,
                        options.readRepeats, null);
                ModeRead timed = new ModeRead(moment.getKey(), read);
                all.add(timed);
                OUT.printf(Locale.ROOT, "[reads] %-36s %-7s p50 %7s  p95 %7s  p99 %7s  max %7s ms %,11d bytes%s%s%n",
                        spec[0], moment.getKey(), ms(read.latency().p50()), ms(read.latency().p95()),
                        ms(read.latency().p99()), ms(read.latency().max()), read.bytes(),
                        read.busy() == 0 ? "" : "  " + read.busy() + "× 429",
                        read.errors() == 0 ? "" : "  " + read.errors() + " errors, e.g. " + read.firstError());
                StringBuilder b = line("read-side-read");
                kv(b, "read", spec[0]);
                kv(b, "mode", moment.getKey());
                kv(b, "calls", read.latency().count());
                Report.latencies(b, "", read.latency());
                kv(b, "bytes", read.bytes());
                kv(b, "errors", read.errors());
                kv(b, "busy_429", read.busy());
                kv(b, "target_p95_ms", num(timed.target()));
                kv(b, "ok", timed.ok());
                lines.add(b.toString());
            }
        }
        summarizeReads(all, knownAt);
    }

    private void summarizeReads(List<ModeRead> all, Instant knownAt) {
        summary.add(String.format(Locale.ROOT, "reads     p50 / p95 ms per moment (knownAt=%s, validAt=%s); %d timed "
                + "calls each after %d warm-ups", knownAt, VALID_AT, options.readRepeats, READ_WARMUPS));
        summary.add(String.format(Locale.ROOT, "          %-36s | %-17s | %-17s | %-17s | %-17s", "read", "live",
                "knownAt", "validAt", "both"));
        for (int i = 0; i < all.size(); i += 4) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "          %-36s", all.get(i).read()
                    .label()));
            for (ModeRead read : all.subList(i, i + 4)) {
                row.append(String.format(Locale.ROOT, " | %-17s", ms(read.read().latency().p50()) + " / "
                        + ms(read.read().latency().p95()) + (read.ok() ? "" : " !")));
            }
            summary.add(row.toString());
        }
        List<String> slowLive = all.stream().filter(r -> !r.past() && !r.ok()).map(r -> r.read().label()).toList();
        List<String> slowPast = all.stream().filter(r -> r.past() && !r.ok())
                .map(r -> r.read().label() + " (" + r.mode() + ")").toList();
        long busy = all.stream().mapToLong(r -> r.read().busy()).sum();
        long errors = all.stream().mapToLong(r -> r.read().errors()).sum();
        summary.add(String.format(Locale.ROOT, "          target live p95 < %.0f ms: %s", LIVE_P95_TARGET_MS,
                slowLive.isEmpty() ? "met by every read" : "NOT met (!) by " + String.join(", ", slowLive)));
        summary.add(String.format(Locale.ROOT, "          target past p95 < %.0f ms: %s", PAST_P95_TARGET_MS,
                slowPast.isEmpty() ? "met by every read" : "NOT met (!) by " + String.join(", ", slowPast)));
        summary.add(String.format(Locale.ROOT, "          %d answers 429 (scan limit; none expected in sequential "
                + "reads), %d other errors", busy, errors));
        this.liveP50s = all.stream().filter(r -> !r.past()).mapToDouble(r -> r.read().latency().p50())
                .filter(v -> !Double.isNaN(v)).sorted().toArray();
    }

    // --- 6. storm ---------------------------------------------------------------------------------------------------

    private static String statusClass(int status) {
        return status == 200 ? "200" : status == 429 ? "429" : status >= 500 ? "5xx" : status < 0 ? "failed" : "other";
    }

    private void storm(Instant knownAt) throws Exception {
        OUT.printf(Locale.ROOT, "%n[storm] %d s: %d threads of past reads (knownAt=%s, the %d reads in turn) beside %d "
                        + "threads of live reads…%n", options.stormSeconds, STORM_PAST_THREADS, knownAt, READS.size(),
                STORM_LIVE_THREADS);
        String moment = "knownAt=" + knownAt;
        Map<String, AtomicLong> statuses = new ConcurrentHashMap<>();
        List<Latencies> live = new ArrayList<>();
        List<Latencies> past = new ArrayList<>();
        Map<String, String> firstFailures = new ConcurrentHashMap<>();
        Phase.Timing timing = Phase.run(STORM_PAST_THREADS + STORM_LIVE_THREADS, options.stormSeconds, 0, index -> {
            boolean isPast = index < STORM_PAST_THREADS;
            Latencies mine = new Latencies();
            synchronized (live) {
                (isPast ? past : live).add(mine);
            }
            long[] next = {index};
            return number -> {
                String path = isPast ? at(READS.get((int) (next[0]++ % READS.size()))[1], moment)
                        : STORM_LIVE_READS.get((int) (next[0]++ % STORM_LIVE_READS.size()));
                TimedReads.Call call = TimedReads.call(http, path);
                String status = statusClass(call.status());
                statuses.computeIfAbsent(status, k -> new AtomicLong()).incrementAndGet();
                if (call.status() == 200) {
                    mine.add(call.nanos());
                } else {
                    firstFailures.putIfAbsent(status, path + " → " + call.describe());
                }
            };
        });
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String status : List.of("200", "429", "5xx", "other", "failed")) {
            counts.put(status, statuses.containsKey(status) ? statuses.get(status).get() : 0L);
        }
        Storm storm = new Storm(timing.seconds(), counts, Latencies.merge(live).summary(),
                Latencies.merge(past).summary(), firstFailures.entrySet().stream().map(e -> e.getKey() + ": "
                + e.getValue()).collect(Collectors.joining("; ")));
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        String described = String.format(Locale.ROOT, "%,d reads in %.1f s (%.1f/s): 200 %,d, 429 %,d, 5xx %,d, other "
                        + "%,d, failed %,d; live p50 / p95 / p99 %s ms (%d); past 200s p50 / p95 %s / %s ms (%d)",
                total, storm.seconds(), total / storm.seconds(), storm.count("200"), storm.count("429"),
                storm.count("5xx"), storm.count("other"), storm.count("failed"), Report.triple(storm.live()),
                storm.live().count(), ms(storm.past().p50()), ms(storm.past().p95()), storm.past().count());
        OUT.println("[storm] " + described);
        if (!storm.firstFailure().isEmpty()) {
            OUT.println("[storm] first of each: " + storm.firstFailure());
        }
        summary.add("storm     " + described + String.format(Locale.ROOT, " — targets no 5xx, live p95 < %.0f ms: %s",
                STORM_LIVE_P95_TARGET_MS, verdict(storm.ok())));
        StringBuilder b = line("read-side-storm");
        kv(b, "seconds", num(storm.seconds()));
        kv(b, "past_threads", STORM_PAST_THREADS);
        kv(b, "live_threads", STORM_LIVE_THREADS);
        counts.forEach((status, n) -> kv(b, "status_" + status, n));
        Report.latencies(b, "live", storm.live());
        Report.latencies(b, "past", storm.past());
        kv(b, "target_live_p95_ms", num(STORM_LIVE_P95_TARGET_MS));
        kv(b, "ok", storm.ok());
        lines.add(b.toString());
    }

    // --- 7. rebuild -------------------------------------------------------------------------------------------------

    private ProjectionRebuild.Status rebuild() throws Fatal, InterruptedException {
        awaitQuiet("before the rebuild");
        OUT.printf(Locale.ROOT, "%n[rebuild] POST /api/admin/projections/%s/rebuild, then GET every 500 ms until "
                + "completed or failed (at most %d s)…%n", VIEW, options.rebuildTimeoutSeconds);
        ProjectionRebuild.Status rebuild = ProjectionRebuild.run(http, VIEW, options.rebuildTimeoutSeconds,
                options.progressSeconds);
        OUT.println("[rebuild] " + ProjectionRebuild.describe(rebuild));
        return rebuild;
    }

    // --- 8. replay command ------------------------------------------------------------------------------------------

    private ReplayRun.Result replay() throws Fatal, InterruptedException {
        awaitQuiet("before the replay");
        OUT.printf(Locale.ROOT, "%n[replay] java -jar %s replay --event-store=%s --into=%s --compare-with=%s "
                + "--key=<an AUDITOR key of this run>…%n", options.queryJar, options.jdbcUrl, options.queryJdbcUrl,
                options.queryUrl);
        if (!Files.isRegularFile(Path.of(options.queryJar))) {
            OUT.println("[replay] not run: no query service jar at " + Path.of(options.queryJar).toAbsolutePath()
                    + " (build it: mvn -B -q -pl query-service -am package -DskipTests, or give --query-jar)");
            return null;
        }
        String key;
        try {
            key = http.keyOf("AUDITOR");
        } catch (IOException e) {
            throw new Fatal("the auditor key could not be issued: " + e);
        }
        List<String> arguments = List.of("--event-store=" + options.jdbcUrl, "--event-store-user=" + options.dbUser,
                "--into=" + options.queryJdbcUrl, "--into-user=" + options.dbUser,
                "--compare-with=" + options.queryUrl);
        Map<String, String> secrets = Map.of("LEDGER_EVENT_STORE_PASSWORD", options.dbPassword,
                "LEDGER_INTO_PASSWORD", options.dbPassword, "LEDGER_AUDITOR_KEY", key);
        ReplayRun.Result result;
        AtomicLong logLines = new AtomicLong();
        try {
            result = ReplayRun.run(options.queryJar, arguments, secrets, options.rebuildTimeoutSeconds, text -> {
                if (ReplayRun.isInfoLog(text)) {
                    logLines.incrementAndGet();
                } else {
                    OUT.println("[replay] | " + text);
                }
            });
        } catch (IOException e) {
            OUT.println("[replay] could not start the command: " + e);
            return null;
        }
        if (logLines.get() > 0) {
            OUT.printf(Locale.ROOT, "[replay] (%d INFO log lines of the command not shown)%n", logLines.get());
        }
        OUT.printf(Locale.ROOT, "[replay] exit %d after %.1f s: %s%n", result.exitCode(), result.wallSeconds(),
                result.parsed() ? String.format(Locale.ROOT, "%,d events, build %.1f s = %s events/s (JVM start "
                                + "%.1f s), %s", result.events(), result.buildSeconds(),
                        rate(result.eventsPerSecond()), result.jvmStartSeconds(), result.match() == null
                                ? "no comparison printed" : result.match() ? "MATCH" : "DIFFERENT")
                        : "its summary line was not found in the output");
        return result;
    }

    // --- 9. raw limits ----------------------------------------------------------------------------------------------

    private Raw raw(Load load) throws Fatal, InterruptedException {
        OUT.printf(Locale.ROOT, "%n[raw] limits of the query database and service…%n");
        RawInsert.EventShape shape;
        try {
            shape = commandDb.measure("BENCH_:" + runTag + "-");
        } catch (SQLException e) {
            return rawFailed("the command database is not readable (" + firstLine(e.getMessage())
                    + "): no event size to copy");
        }
        long rows = load != null && load.events() > 0 ? load.events() : shape.events();
        int rowBytes = shape.payloadBytes() + shape.metadataBytes();
        OUT.printf(Locale.ROOT, "[raw] event size: payload %d + metadata %d bytes on average over %,d %s events; rows "
                        + "written: %,d (%s)%n", shape.payloadBytes(), shape.metadataBytes(), shape.events(),
                shape.wholeTable() ? "stored (none of this run's found)" : "of this run's", rows,
                load != null ? "as many as the backlog's events" : "as many as those events");
        RawLoad table = new RawLoad(queryDb, runTag, rowBytes);
        RawLoad.Result copy;
        RawLoad.Result insert;
        try {
            table.createTable();
            rawTable = table;
            copy = table.copy(rows);
            OUT.printf(Locale.ROOT, "[raw] COPY of %,d rows in one transaction: %.2f s = %s rows/s%n", rows,
                    copy.seconds(), rate(copy.rowsPerSecond()));
            insert = table.multiRowInsert(rows);
            OUT.printf(Locale.ROOT, "[raw] multi-row INSERT, %,d rows per statement and transaction: %.2f s = %s "
                    + "rows/s%n", RawLoad.BATCH, insert.seconds(), rate(insert.rowsPerSecond()));
        } catch (SQLException e) {
            return rawFailed("writing into " + RawLoad.TABLE + " in the query database failed: "
                    + firstLine(e.getMessage()));
        } finally {
            try {
                table.dropTable();
                rawTable = null;
            } catch (SQLException e) {
                OUT.println("[raw] could not drop " + RawLoad.TABLE + ": " + firstLine(e.getMessage()));
            }
        }
        TimedReads.Read health = TimedReads.time(http, "health", "/actuator/health", READ_WARMUPS, HEALTH_CALLS,
                null);
        OUT.printf(Locale.ROOT, "[raw] GET /actuator/health of the query service: p50 %s ms, p95 %s ms (%d calls, %d "
                + "errors)%n", ms(health.latency().p50()), ms(health.latency().p95()), health.latency().count(),
                health.failures());
        return new Raw(copy, insert, health, null);
    }

    private Raw rawFailed(String problem) {
        OUT.println("[raw] not measured: " + problem);
        return new Raw(null, null, null, problem);
    }

    // --- results ----------------------------------------------------------------------------------------------------

    private static String verdict(boolean met) {
        return met ? "met" : "NOT met";
    }

    private static String ratio(double value, double limit) {
        return Double.isNaN(value) || Double.isNaN(limit) || limit == 0 ? "-"
                : String.format(Locale.ROOT, "%.2f", value / limit);
    }

    /** Appends a figure's target, its limit measured in this run, the ratio to it, and whether the target is met. */
    private static void limits(StringBuilder b, double value, double target, String limitKey, double limit,
                               boolean ok) {
        kv(b, "target_events_per_s", num(target));
        kv(b, limitKey, num(limit));
        kv(b, "ratio", num(value / limit));
        kv(b, "ok", ok && value >= target);
    }

    private StringBuilder line(String name) {
        return new StringBuilder("BENCHMARK name=").append(name).append(" run=").append(runTag);
    }

    private void printResults(Load load, ProjectionRebuild.Status rebuild, ReplayRun.Result replay, Raw raw) {
        double copyLimit = raw == null ? Double.NaN : raw.copyPerSecond();
        double insertLimit = raw == null ? Double.NaN : raw.insertPerSecond();
        for (Apply apply : applied) {
            StringBuilder a = line("read-side-apply");
            kv(a, "projection", apply.projection());
            kv(a, "events", apply.events());
            kv(a, "seconds", num(apply.seconds()));
            kv(a, "first_moved_s", num(apply.firstSeconds()));
            kv(a, "events_per_s", num(apply.eventsPerSecond()));
            kv(a, "caught_up", apply.caughtUp());
            limits(a, apply.eventsPerSecond(), APPLY_TARGET, "insert_rows_per_s", insertLimit, true);
            lines.add(a.toString());
        }
        if (rebuild != null) {
            summary.add(String.format(Locale.ROOT, "rebuild   %s — target ≥ %,.0f: %s; limit COPY %s rows/s, "
                            + "ratio %s", ProjectionRebuild.describe(rebuild), REBUILD_TARGET,
                    verdict(rebuild.eventsPerSecond() >= REBUILD_TARGET), rate(copyLimit),
                    ratio(rebuild.eventsPerSecond(), copyLimit)));
            StringBuilder b = line("read-side-rebuild");
            kv(b, "projection", VIEW);
            kv(b, "state", rebuild.state());
            kv(b, "events", rebuild.events());
            kv(b, "seconds", num(rebuild.seconds()));
            kv(b, "events_per_s", num(rebuild.eventsPerSecond()));
            kv(b, "paused_ms", rebuild.pausedMillis());
            kv(b, "wall_s", num(rebuild.wallSeconds()));
            limits(b, rebuild.eventsPerSecond(), REBUILD_TARGET, "copy_rows_per_s", copyLimit, rebuild.completed());
            lines.add(b.toString());
        }
        if (options.runs("replay")) {
            summary.add(replay == null ? "replay    not run (see above)" : String.format(Locale.ROOT,
                    "replay    exit %d: %s events, build %s s = %s events/s (JVM start %s s, wall %.1f s), %s — "
                            + "target ≥ %,.0f: %s; limit COPY %s rows/s, ratio %s", replay.exitCode(),
                    replay.parsed() ? String.format(Locale.ROOT, "%,d", replay.events()) : "-",
                    num(replay.buildSeconds()), rate(replay.eventsPerSecond()), num(replay.jvmStartSeconds()),
                    replay.wallSeconds(), replay.match() == null ? "no comparison" : replay.match() ? "MATCH"
                            : "DIFFERENT", REPLAY_TARGET, verdict(replay.eventsPerSecond() >= REPLAY_TARGET),
                    rate(copyLimit), ratio(replay.eventsPerSecond(), copyLimit)));
            if (replay != null) {
                StringBuilder b = line("read-side-replay");
                kv(b, "exit", replay.exitCode());
                kv(b, "events", replay.events());
                kv(b, "build_s", num(replay.buildSeconds()));
                kv(b, "events_per_s", num(replay.eventsPerSecond()));
                kv(b, "jvm_start_s", num(replay.jvmStartSeconds()));
                kv(b, "total_s", num(replay.totalSeconds()));
                kv(b, "wall_s", num(replay.wallSeconds()));
                kv(b, "match", replay.match() == null ? "NaN" : replay.match());
                limits(b, replay.eventsPerSecond(), REPLAY_TARGET, "copy_rows_per_s", copyLimit,
                        Boolean.TRUE.equals(replay.match()));
                lines.add(b.toString());
            }
        }
        if (raw != null) {
            printLimits(raw, copyLimit, insertLimit);
        }
        OUT.println();
        OUT.println("== Results ==");
        summary.forEach(OUT::println);
        OUT.println();
        lines.forEach(OUT::println);
    }

    private void printLimits(Raw raw, double copyLimit, double insertLimit) {
        if (raw.problem() != null) {
            summary.add("limits    not measured: " + raw.problem());
            return;
        }
        summary.add(String.format(Locale.ROOT, "limits    COPY %,d rows of %d bytes into one table in one transaction: "
                        + "%s rows/s (the rebuild's and the replay's limit); multi-row INSERT of %,d-row batches: %s "
                        + "rows/s (the batch apply's limit)", raw.copy().rows(), raw.copy().rowBytes(),
                rate(copyLimit), RawLoad.BATCH, rate(insertLimit)));
        for (Apply apply : applied) {
            summary.add(String.format(Locale.ROOT, "          apply %-13s %s events/s ÷ INSERT %s rows/s = %s",
                    apply.projection(), rate(apply.eventsPerSecond()), rate(insertLimit),
                    ratio(apply.eventsPerSecond(), insertLimit)));
        }
        Latencies.Summary health = raw.health().latency();
        double liveMedian = liveP50s.length == 0 ? Double.NaN : liveP50s[liveP50s.length / 2];
        summary.add(String.format(Locale.ROOT, "          request overhead: GET /actuator/health p50 %s ms, p95 %s ms; "
                        + "the live reads' median p50 %s ms = %s × that overhead", ms(health.p50()), ms(health.p95()),
                ms(liveMedian), ratio(liveMedian, health.p50())));
        for (RawLoad.Result result : List.of(raw.copy(), raw.insert())) {
            StringBuilder b = line("read-side-raw");
            kv(b, "kind", result.how());
            kv(b, "rows", result.rows());
            kv(b, "row_bytes", result.rowBytes());
            kv(b, "seconds", num(result.seconds()));
            kv(b, "rows_per_s", num(result.rowsPerSecond()));
            lines.add(b.toString());
        }
        StringBuilder b = line("read-side-raw");
        kv(b, "kind", "health");
        kv(b, "calls", health.count());
        kv(b, "p50_ms", num(health.p50()));
        kv(b, "p95_ms", num(health.p95()));
        kv(b, "errors", raw.health().failures());
        kv(b, "live_read_median_p50_ms", num(liveMedian));
        kv(b, "ratio", num(liveMedian / health.p50()));
        lines.add(b.toString());
    }
}
