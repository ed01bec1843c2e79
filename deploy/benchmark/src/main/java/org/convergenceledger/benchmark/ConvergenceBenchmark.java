package org.convergenceledger.benchmark;

import static org.convergenceledger.benchmark.Report.describe;
import static org.convergenceledger.benchmark.Report.firstLine;
import static org.convergenceledger.benchmark.Report.indent;
import static org.convergenceledger.benchmark.Report.kv;
import static org.convergenceledger.benchmark.Report.machine;
import static org.convergenceledger.benchmark.Report.ms;
import static org.convergenceledger.benchmark.Report.num;
import static org.convergenceledger.benchmark.Report.triple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The convergence benchmark: loads a realistic portfolio of activities from 12 agencies through the command API,
 * waits for the query service to apply it, times the convergence view's reads over it, then rebuilds the view by
 * replay and times that (see README.md). Not a test: it asserts nothing, it measures — and it checks the pairs the
 * view found against those the same rules give on the generated workload.
 */
public final class ConvergenceBenchmark {

    private static final PrintStream OUT = System.out;
    private static final int READ_WARMUPS = 5;
    private static final String VIEW = "activity-view";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The reads timed, in order: a label for the BENCHMARK line, and the query service path. */
    private static final List<String[]> READS = List.of(
            new String[] {"matrix-axis-agency", "/api/convergence/matrix?rows=axis&cols=agency"},
            new String[] {"matrix-axis-region", "/api/convergence/matrix?rows=axis&cols=region"},
            new String[] {"matrix-region-agency", "/api/convergence/matrix?rows=region&cols=agency"},
            new String[] {"matrix-axis-agency-filtered",
                    "/api/convergence/matrix?rows=axis&cols=agency&axis=GENDER&from=2020-01-01&to=2022-12-31"},
            new String[] {"matrix-axis-region-filtered",
                    "/api/convergence/matrix?rows=axis&cols=region&axis=GENDER&from=2020-01-01&to=2022-12-31"},
            new String[] {"matrix-region-agency-filtered",
                    "/api/convergence/matrix?rows=region&cols=agency&axis=GENDER&from=2020-01-01&to=2022-12-31"},
            new String[] {"duplications", "/api/convergence/duplications"},
            new String[] {"duplications-agency-axis", "/api/convergence/duplications?agency=BENCHA&axis=GENDER"},
            new String[] {"joint", "/api/convergence/joint"},
            new String[] {"gaps", "/api/convergence/gaps"},
            new String[] {"gaps-2024", "/api/convergence/gaps?from=2024-01-01&to=2024-12-31"},
            new String[] {"progress", "/api/convergence/progress"},
            new String[] {"axes", "/api/convergence/axes"},
            new String[] {"activities-agency-page", "/api/activities?agency=BENCHA&size=50"});

    public static void main(String[] args) {
        ConvergenceOptions options;
        try {
            options = ConvergenceOptions.parse(args);
        } catch (Options.BadArguments e) {
            System.err.println("convergence benchmark: " + e.getMessage());
            System.err.println("convergence benchmark: --help lists the options");
            System.exit(2);
            return;
        }
        if (options.help) {
            OUT.print(ConvergenceOptions.USAGE);
            return;
        }
        try {
            new ConvergenceBenchmark(options).run();
        } catch (Fatal e) {
            OUT.flush();
            System.err.println();
            System.err.println("convergence benchmark: " + e.getMessage());
            System.exit(1);
        } catch (InterruptedException e) {
            System.err.println("convergence benchmark: interrupted");
            System.exit(1);
        } catch (Exception e) {
            OUT.flush();
            System.err.println("convergence benchmark: failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0); // the HttpClient's threads are not daemons everywhere; do not wait for them
    }

    // --- results of the phases --------------------------------------------------------------------------------------

    private record Load(double seconds, long accepted, long commits, Latencies.Summary propose,
                        Latencies.Summary commit, Latencies.Summary all, Errors errors, double storeEventsPerSecond,
                        Map<String, Double> applyDuringLoad, long endedAtNanos, long startedAtNanos,
                        Map<String, Long> appliedAtStart) {
        long commands() {
            return accepted + commits;
        }

        double commandsPerSecond() {
            return seconds > 0 ? commands() / seconds : 0;
        }
    }

    private record Read(String label, String path, Latencies.Summary latency, long bytes, long errors,
                        String firstError) {
    }

    private record PairCounts(long duplications, long joint, long involved) {
    }

    private record Rebuild(boolean started, boolean completed, double seconds, long events, String detail,
                           PairCounts pairsAfter) {
        double eventsPerSecond() {
            return completed && seconds > 0 ? events / seconds : Double.NaN;
        }
    }

    private final ConvergenceOptions options;
    private final String runTag;
    private final Workload workload;
    private final LedgerHttp http;
    private final CatchUp catchUp;
    private final RawInsert commandDb;
    private final RawInsert queryDb;

    private ConvergenceBenchmark(ConvergenceOptions options) {
        this.options = options;
        this.runTag = options.runTag != null ? options.runTag
                : "r" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-"
                        + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36);
        this.workload = new Workload(options.seed, options.commitPercent / 100.0, runTag);
        this.http = new LedgerHttp(options.commandUrl, options.queryUrl,
                Duration.ofSeconds(options.requestTimeoutSeconds));
        this.catchUp = new CatchUp(http, options.commandUrl, options.queryUrl, options.catchUpTimeoutSeconds);
        // RawInsert is used here only for its JDBC connection and the server settings
        this.commandDb = new RawInsert(options.jdbcUrl, options.dbUser, options.dbPassword,
                options.requestTimeoutSeconds);
        this.queryDb = new RawInsert(options.queryJdbcUrl, options.dbUser, options.dbPassword,
                options.requestTimeoutSeconds);
    }

    private void run() throws Exception {
        printHeader();
        long generating = System.nanoTime();
        List<Workload.Activity> activities = new ArrayList<>(options.activities);
        for (int n = 0; n < options.activities; n++) {
            activities.add(workload.activity(n));
        }
        BitSet all = new BitSet();
        all.set(0, options.activities);
        Workload.Expected planned = Workload.expected(activities, all);
        printWorkload(activities, planned, (System.nanoTime() - generating) / 1e9);
        if (options.dryRun) {
            OUT.println("\n--dry-run: nothing sent.");
            return;
        }
        preflight();
        setUp();
        CatchUp.Outcome quiet = catchUp.await(runTag, System.nanoTime(), VIEW);
        if (!quiet.caughtUp()) {
            throw new Fatal("the query side is behind before the load (" + quiet.detail() + ") and did not catch up "
                    + "within " + options.catchUpTimeoutSeconds + " s: measure on a quiet system");
        }
        OUT.printf(Locale.ROOT, "quiet start      %s is at the store head (%s)%n", VIEW, quiet.detail());

        boolean[] accepted = new boolean[options.activities];
        Load load = load(activities, accepted);
        CatchUp.Outcome caughtUp = awaitCatchUp(load);
        Map<String, Double> overallApply = overallApplyRate(load, caughtUp);

        BitSet acceptedSet = new BitSet();
        for (int n = 0; n < accepted.length; n++) {
            if (accepted[n]) {
                acceptedSet.set(n);
            }
        }
        Workload.Expected expected = acceptedSet.cardinality() == options.activities ? planned
                : Workload.expected(activities, acceptedSet);
        PairCounts found = pairCounts();
        printPairs(expected, found);

        List<Read> reads = reads();
        Rebuild rebuild = options.skipRebuild ? null : rebuild(found);

        printSummary(load, caughtUp, overallApply, expected, found, reads, rebuild);
    }

    // --- start ------------------------------------------------------------------------------------------------------

    private void printHeader() {
        OUT.println("== Convergence Ledger: convergence-view benchmark ==");
        OUT.println("run tag          " + runTag + "  (activities BENCHA…BENCHL:" + runTag + "-n)");
        OUT.printf(Locale.ROOT, "workload         %,d activities from %d agencies, %d%% committed, seed %d, "
                        + "%d worker threads; reads: %d warm-up + %d timed sequential calls each; then %s%n",
                options.activities, Workload.AGENCY_CODES.size(), options.commitPercent, options.seed,
                options.concurrency, READ_WARMUPS, options.readRepeats,
                options.skipRebuild ? "no rebuild" : "a rebuild of " + VIEW);
        OUT.println("machine          " + machine());
        OUT.println("command-service  " + options.commandUrl);
        OUT.println("query-service    " + options.queryUrl);
        OUT.println("databases        " + options.jdbcUrl + ", " + options.queryJdbcUrl + " (user " + options.dbUser
                + ")");
    }

    private void printWorkload(List<Workload.Activity> activities, Workload.Expected e, double seconds) {
        long commits = activities.stream().filter(Workload.Activity::committed).count();
        OUT.printf(Locale.ROOT, "%ngenerated        %,d activities (%,d to be committed) in %.1f s: per activity "
                        + "%.2f axes, %.2f regions, %.2f target groups on average; %,d national, %,d with a FUNDING "
                        + "partner; currencies %s; periods 3–18 months starting 2000–2030%n", activities.size(),
                commits, seconds, e.meanAxes(), e.meanRegions(), e.meanGroups(), e.national(), e.withPartner(),
                e.currencies());
        OUT.printf(Locale.ROOT, "                 vocabulary: %d axes, %d regions + NATIONAL, %d target groups; %s%n",
                Workload.AXES.size(), Workload.REGIONS.size(), Workload.TARGET_GROUPS.size(), Workload.profileRule());
        OUT.printf(Locale.ROOT, "expected pairs   %,d likely duplications involving %,d activities (%.1f %%), %,d joint "
                        + "(declared partners) — if every proposal is accepted%n", e.duplications(),
                e.involvedInDuplications(), 100.0 * e.involvedInDuplications() / Math.max(1, activities.size()),
                e.joint());
    }

    /** Fails with one message naming every part of the system that does not answer. */
    private void preflight() throws Fatal, InterruptedException {
        List<String> problems = new ArrayList<>();
        http.checkHealth("command-service", options.commandUrl, problems);
        http.checkHealth("query-service", options.queryUrl, problems);
        if (!problems.isEmpty()) {
            throw new Fatal("the system is not reachable, nothing was measured:\n  - "
                    + String.join("\n  - ", problems)
                    + "\nStart it with `deploy/local.sh start` (it returns once both services are healthy), or point "
                    + "--command-url and --query-url at the running system.");
        }
        if (catchUp.storeHead() == null) {
            throw new Fatal("the command service's health has no publishing.storeHead: this benchmark needs it to "
                    + "know when the query side has caught up");
        }
        if (!catchUp.appliedByProjection().containsKey(VIEW)) {
            throw new Fatal("the query service's health has no projectionLag." + VIEW + ".lastAppliedGlobalSequence");
        }
        OUT.println("preflight        both services answer UP");
        String server;
        try {
            server = commandDb.serverSettings();
        } catch (SQLException e) {
            try {
                server = queryDb.serverSettings();
            } catch (SQLException again) {
                server = "(not readable: " + firstLine(e.getMessage()) + ")";
            }
        }
        OUT.println("database server  " + server);
    }

    private void setUp() throws Fatal, InterruptedException {
        try {
            for (int i = 0; i < Workload.AGENCY_CODES.size(); i++) {
                String code = Workload.AGENCY_CODES.get(i);
                requireCreatedOrExists("register agency " + code, http.registerAgency(code,
                        "Benchmark agency " + (char) ('A' + i), "PUBLIC_AGENCY"));
            }
            for (Map.Entry<String, String> axis : Workload.AXES.entrySet()) {
                requireCreatedOrExists("define axis " + axis.getKey(), http.defineAxis(axis.getKey(), axis.getValue()));
            }
        } catch (IOException e) {
            throw new Fatal("setting up the benchmark agencies and axes failed: " + e);
        }
        OUT.println("set-up           agencies " + String.join(", ", Workload.AGENCY_CODES) + " and axes "
                + String.join(", ", Workload.AXES.keySet()) + " present");
    }

    private static void requireCreatedOrExists(String what, LedgerHttp.Reply reply) throws Fatal {
        if (reply.status() != 201 && reply.status() != 409 && reply.status() != 200) {
            throw new Fatal(what + ": the command service answered " + reply.status() + ": "
                    + firstLine(reply.body()));
        }
    }

    // --- load -------------------------------------------------------------------------------------------------------

    private Load load(List<Workload.Activity> activities, boolean[] accepted) throws Exception {
        OUT.printf(Locale.ROOT, "%n[load] proposing %,d activities (committing %d %% of them) at %d threads…%n",
                options.activities, options.commitPercent, options.concurrency);
        Errors errors = new Errors();
        List<Latencies> proposeTimes = new ArrayList<>();
        List<Latencies> commitTimes = new ArrayList<>();
        AtomicLong started = new AtomicLong();
        AtomicLong proposed = new AtomicLong();
        AtomicLong committed = new AtomicLong();
        Map<String, Long> appliedAtStart = catchUp.appliedByProjection();
        Long headAtStart = catchUp.storeHead();
        long startedAt = System.nanoTime();
        long[] last = {startedAt, 0};
        Phase.Timing timing;
        try (Progress ignored = new Progress(options.progressSeconds, () -> {
            long now = System.nanoTime();
            long commands = proposed.get() + committed.get();
            double recent = (commands - last[1]) / ((now - last[0]) / 1e9);
            last[0] = now;
            last[1] = commands;
            return String.format(Locale.ROOT, "[load %3.0f s] %,d/%,d activities sent, %,d commands ok (%.0f/s "
                            + "lately), %d errors; %s", (now - startedAt) / 1e9, Math.min(started.get(),
                            options.activities), options.activities, commands, recent, errors.total(),
                    positions());
        })) {
            timing = Phase.run(options.concurrency, 0, options.activities, index -> {
                Latencies proposes = new Latencies();
                Latencies commits = new Latencies();
                synchronized (proposeTimes) {
                    proposeTimes.add(proposes);
                    commitTimes.add(commits);
                }
                return number -> {
                    started.incrementAndGet();
                    Workload.Activity a = activities.get((int) number);
                    byte[] body = workload.proposeBody(a);
                    if (!CommandPath.timed("propose", () -> http.propose(body, a.leadAgency()), proposes, errors)) {
                        return;
                    }
                    accepted[a.number()] = true; // one writer per index; read after the workers are joined
                    proposed.incrementAndGet();
                    if (a.committed()) {
                        byte[] commit = workload.commitBody(a);
                        if (CommandPath.timed("commit", () -> http.commit(a.id(), commit, a.leadAgency()), commits,
                                errors)) {
                            committed.incrementAndGet();
                        }
                    }
                };
            });
        }
        long endedAt = System.nanoTime();
        Map<String, Long> appliedAtEnd = catchUp.appliedByProjection();
        Long headAtEnd = catchUp.storeHead();
        double seconds = timing.seconds();
        Map<String, Double> apply = new java.util.LinkedHashMap<>();
        appliedAtEnd.forEach((name, end) -> {
            long start = Math.max(0, appliedAtStart.getOrDefault(name, 0L));
            apply.put(name, (end - start) / ((endedAt - startedAt) / 1e9));
        });
        double storeRate = headAtStart != null && headAtEnd != null
                ? (headAtEnd - headAtStart) / ((endedAt - startedAt) / 1e9) : Double.NaN;
        Latencies proposes = Latencies.merge(proposeTimes);
        Latencies commits = Latencies.merge(commitTimes);
        Load load = new Load(seconds, proposes.size(), commits.size(), proposes.summary(), commits.summary(),
                Latencies.merge(proposes, commits).summary(), errors, storeRate, apply, endedAt, startedAt,
                appliedAtStart);
        OUT.printf(Locale.ROOT, "[load] %,d proposals + %,d commitments = %,d commands in %.1f s = %.1f commands/s; "
                        + "latency ms p50 / p95 / p99: propose %s, commit %s; errors %d%n", load.accepted(),
                load.commits(), load.commands(), seconds, load.commandsPerSecond(), triple(load.propose()),
                triple(load.commit()), errors.total());
        OUT.printf(Locale.ROOT, "[load] event store grew by %s events/s; query side applied during the load: %s%n",
                rate(storeRate), apply.entrySet().stream().map(e -> e.getKey() + " " + rate(e.getValue())
                        + " events/s").collect(Collectors.joining(", ")));
        if (errors.total() > 0) {
            OUT.println(indent(describe(errors)));
        }
        if (load.commands() == 0) {
            throw new Fatal("no command succeeded during the load: the command service is broken for this "
                    + "workload.\n" + describe(errors));
        }
        return load;
    }

    private CatchUp.Outcome awaitCatchUp(Load load) throws InterruptedException {
        OUT.printf(Locale.ROOT, "[catch-up] waiting (at most %d s) until %s has applied the store head…%n",
                options.catchUpTimeoutSeconds, VIEW);
        CatchUp.Outcome outcome;
        long since = System.nanoTime();
        try (Progress ignored = new Progress(options.progressSeconds, () -> String.format(Locale.ROOT,
                "[catch-up %3.0f s] %s", (System.nanoTime() - since) / 1e9, positions()))) {
            outcome = catchUp.await(runTag, load.endedAtNanos(), VIEW);
        }
        OUT.printf(Locale.ROOT, "[catch-up] query side %s %.1f s after the last command: %s%n",
                outcome.caughtUp() ? "caught up" : "did NOT catch up", outcome.seconds(), outcome.detail());
        return outcome;
    }

    /** Per projection: events applied from the load's start to the catch-up ÷ that time. */
    private Map<String, Double> overallApplyRate(Load load, CatchUp.Outcome caughtUp) throws InterruptedException {
        Map<String, Double> rates = new java.util.LinkedHashMap<>();
        double seconds = (load.endedAtNanos() - load.startedAtNanos()) / 1e9 + caughtUp.seconds();
        catchUp.appliedByProjection().forEach((name, now) -> rates.put(name,
                (now - Math.max(0, load.appliedAtStart().getOrDefault(name, 0L))) / seconds));
        OUT.printf(Locale.ROOT, "[catch-up] from the load's start to caught up (%.1f s): %s%n", seconds,
                rates.entrySet().stream().map(e -> e.getKey() + " " + rate(e.getValue()) + " events/s")
                        .collect(Collectors.joining(", ")));
        return rates;
    }

    private String positions() throws InterruptedException {
        Long head = catchUp.storeHead();
        Map<String, Long> applied = catchUp.appliedByProjection();
        return "store head " + (head == null ? "?" : String.format(Locale.ROOT, "%,d", head)) + ", query applied "
                + applied.entrySet().stream().map(e -> e.getKey() + " " + (e.getValue() < 0 ? "none"
                        : String.format(Locale.ROOT, "%,d", e.getValue()))).collect(Collectors.joining(", "));
    }

    // --- what the view found ----------------------------------------------------------------------------------------

    /** This run's pairs in the query database (both activities of this run), or null when it cannot be read. */
    private PairCounts pairCounts() {
        String pattern = "BENCH_:" + runTag + "-%";
        try (Connection c = queryDb.connect();
             PreparedStatement s = c.prepareStatement("SELECT count(*) FILTER (WHERE kind = 'DUPLICATION'), "
                     + "count(*) FILTER (WHERE kind = 'JOINT') FROM convergence_pair "
                     + "WHERE activity_a LIKE ? AND activity_b LIKE ?");
             PreparedStatement involved = c.prepareStatement("SELECT count(*) FROM (SELECT activity_a FROM "
                     + "convergence_pair WHERE kind = 'DUPLICATION' AND activity_a LIKE ? AND activity_b LIKE ? "
                     + "UNION SELECT activity_b FROM convergence_pair WHERE kind = 'DUPLICATION' "
                     + "AND activity_a LIKE ? AND activity_b LIKE ?) ids")) {
            s.setQueryTimeout(options.requestTimeoutSeconds);
            s.setString(1, pattern);
            s.setString(2, pattern);
            involved.setQueryTimeout(options.requestTimeoutSeconds);
            for (int i = 1; i <= 4; i++) {
                involved.setString(i, pattern);
            }
            try (ResultSet r = s.executeQuery(); ResultSet i = involved.executeQuery()) {
                r.next();
                i.next();
                return new PairCounts(r.getLong(1), r.getLong(2), i.getLong(1));
            }
        } catch (SQLException e) {
            OUT.println("pairs            (query database not readable, pairs counted from the API only: "
                    + firstLine(e.getMessage()) + ")");
            return null;
        }
    }

    private void printPairs(Workload.Expected expected, PairCounts found) {
        if (found == null) {
            return;
        }
        OUT.printf(Locale.ROOT, "%npairs            in convergence_pair for this run: %,d DUPLICATION (involving %,d "
                        + "activities), %,d JOINT; the workload gives %,d and %,d: %s%n", found.duplications(),
                found.involved(), found.joint(), expected.duplications(), expected.joint(),
                found.duplications() == expected.duplications() && found.joint() == expected.joint()
                        ? "the same" : "DIFFERENT");
    }

    // --- reads ------------------------------------------------------------------------------------------------------

    private List<Read> reads() throws Fatal, InterruptedException {
        OUT.printf(Locale.ROOT, "%n[reads] %d warm-up + %d timed sequential calls each…%n", READ_WARMUPS,
                options.readRepeats);
        List<Read> reads = new ArrayList<>();
        for (String[] spec : READS) {
            Read read = read(spec[0], spec[1]);
            OUT.printf(Locale.ROOT, "[reads] %-30s p50 %8s  p95 %8s  p99 %8s ms  %,11d bytes%s%n", read.label(),
                    ms(read.latency().p50()), ms(read.latency().p95()), ms(read.latency().p99()), read.bytes(),
                    read.errors() == 0 ? "" : "  " + read.errors() + " errors, e.g. " + read.firstError());
            reads.add(read);
        }
        return reads;
    }

    private Read read(String label, String path) throws Fatal, InterruptedException {
        Latencies times = new Latencies();
        long bytes = -1;
        long errors = 0;
        String firstError = null;
        for (int i = 0; i < READ_WARMUPS + options.readRepeats; i++) {
            long start = System.nanoTime();
            LedgerHttp.Raw reply;
            try {
                reply = http.query(path);
            } catch (IOException e) {
                errors++;
                firstError = firstError != null ? firstError : e.toString();
                if (e instanceof java.net.ConnectException) {
                    throw new Fatal("the query service stopped answering during the reads (" + path + "): " + e);
                }
                continue;
            }
            long elapsed = System.nanoTime() - start;
            if (reply.status() != 200) {
                errors++;
                firstError = firstError != null ? firstError
                        : reply.status() + " " + firstLine(new String(reply.body(), java.nio.charset.StandardCharsets.UTF_8));
                continue;
            }
            bytes = reply.body().length;
            if (i >= READ_WARMUPS) {
                times.add(elapsed);
            }
            if (i == 0 && label.equals("duplications")) {
                describeDuplications(reply.body());
            }
        }
        return new Read(label, path, times.summary(), bytes, errors, firstError);
    }

    private static void describeDuplications(byte[] body) {
        try {
            JsonNode answer = JSON.readTree(body);
            OUT.printf(Locale.ROOT, "[reads] the duplications answer lists %,d pairs (at most 1,000 per answer) in %,d "
                            + "clusters, as of global sequence %s%n", answer.path("pairs").size(),
                    answer.path("clusters").size(), answer.path("freshness").path("asOfSequence").asText("?"));
        } catch (IOException e) {
            OUT.println("[reads] the duplications answer is not JSON: " + e.getMessage());
        }
    }

    // --- rebuild ----------------------------------------------------------------------------------------------------

    private Rebuild rebuild(PairCounts before) throws Fatal, InterruptedException {
        Long head = catchUp.storeHead();
        if (head == null) {
            throw new Fatal("the command service's health stopped reporting publishing.storeHead");
        }
        long events = countEvents(head);
        OUT.printf(Locale.ROOT, "%n[rebuild] POST /api/admin/projections/%s/rebuild: replaying %,d events, waiting "
                + "(at most %d s) for the projection to reach global sequence %,d again…%n", VIEW, events,
                options.rebuildTimeoutSeconds, head);
        long start = System.nanoTime();
        LedgerHttp.Reply reply;
        try {
            reply = http.queryPost("/api/admin/projections/" + VIEW + "/rebuild");
        } catch (IOException e) {
            throw new Fatal("the rebuild request failed: " + e);
        }
        if (reply.status() != 202) {
            OUT.println("[rebuild] refused: " + reply.status() + " " + firstLine(reply.body()));
            return new Rebuild(false, false, Double.NaN, events, "refused with " + reply.status(), null);
        }
        long deadline = start + TimeUnit.SECONDS.toNanos(options.rebuildTimeoutSeconds);
        boolean dropped = false;
        boolean first = true;
        String detail;
        boolean completed;
        long[] last = {start, 0};
        try (Progress ignored = new Progress(options.progressSeconds, () -> {
            long now = System.nanoTime();
            Long at = viewPosition();
            long position = at == null ? -1 : Math.max(at, 0);
            String line = String.format(Locale.ROOT, "[rebuild %3.0f s] %s at %s of %,d (%.0f events/s lately)",
                    (now - start) / 1e9, VIEW, at == null || at < 0 ? "none" : String.format(Locale.ROOT, "%,d", at),
                    head, (position - last[1]) / ((now - last[0]) / 1e9));
            last[0] = now;
            last[1] = position;
            return line;
        })) {
            while (true) {
                Long at = viewPosition();
                long now = System.nanoTime();
                if (!dropped && (at == null || at < head)) {
                    dropped = true;
                }
                if (first && !dropped) {
                    // The reset happens before the 202: a position already back at the head means the replay was
                    // over before the first poll.
                    dropped = true;
                    detail = "replay over before the first poll (time is an upper bound)";
                } else {
                    detail = "projection back at global sequence " + head;
                }
                first = false;
                if (dropped && at != null && at >= head) {
                    completed = true;
                    break;
                }
                if (now - deadline > 0) {
                    completed = false;
                    detail = "NOT finished within " + options.rebuildTimeoutSeconds + " s: at " + at + " of " + head;
                    break;
                }
                Thread.sleep(100);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        PairCounts after = completed ? pairCounts() : null;
        Rebuild rebuild = new Rebuild(true, completed, seconds, events, detail, after);
        OUT.printf(Locale.ROOT, "[rebuild] %s after %.1f s: %s events/s replayed%n", detail, seconds,
                rate(rebuild.eventsPerSecond()));
        if (after != null && before != null) {
            OUT.printf(Locale.ROOT, "[rebuild] pairs after the rebuild: %,d DUPLICATION, %,d JOINT (%s as before)%n",
                    after.duplications(), after.joint(), after.equals(before) ? "the same" : "NOT the same");
        }
        return rebuild;
    }

    private Long viewPosition() throws InterruptedException {
        Long at = catchUp.appliedByProjection().get(VIEW);
        return at == null || at < 0 ? null : at;
    }

    /** The events a replay reads: counted in the event store, else the store head's global sequence. */
    private long countEvents(long head) {
        try (Connection c = commandDb.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM domainevententry")) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            OUT.println("[rebuild] (command database not readable, events taken as the store head: "
                    + firstLine(e.getMessage()) + ")");
            return head;
        }
    }

    // --- results ----------------------------------------------------------------------------------------------------

    private void printSummary(Load load, CatchUp.Outcome caughtUp, Map<String, Double> overallApply,
                              Workload.Expected expected, PairCounts found, List<Read> reads, Rebuild rebuild) {
        OUT.println();
        OUT.println("== Results ==");
        OUT.printf(Locale.ROOT, "load      %,d activities from %d agencies (%,d committed), %d threads: %.1f commands/s, "
                        + "command p50 / p95 / p99 %s ms, %d errors%n", load.accepted(), Workload.AGENCY_CODES.size(),
                load.commits(), options.concurrency, load.commandsPerSecond(), triple(load.all()),
                load.errors().total());
        OUT.printf(Locale.ROOT, "catch-up  %.1f s after the last command (%s); query side applied %s events/s during "
                        + "the load, %s events/s from the load's start to caught up (%s)%n", caughtUp.seconds(),
                caughtUp.caughtUp() ? "caught up" : "NOT caught up", rate(load.applyDuringLoad().getOrDefault(VIEW,
                        Double.NaN)), rate(overallApply.getOrDefault(VIEW, Double.NaN)), VIEW);
        if (found != null) {
            OUT.printf(Locale.ROOT, "pairs     %,d likely duplications (%,d activities, %.1f %%), %,d joint; expected "
                            + "%,d and %,d%n", found.duplications(), found.involved(),
                    100.0 * found.involved() / Math.max(1, load.accepted()), found.joint(), expected.duplications(),
                    expected.joint());
        }
        OUT.println();
        String head = String.format(Locale.ROOT, "%-30s | %-26s | %9s | %11s | %s", "read", "p50 / p95 / p99 ms",
                "max ms", "bytes", "errors");
        OUT.println(head);
        OUT.println("-".repeat(head.length()));
        for (Read read : reads) {
            OUT.printf(Locale.ROOT, "%-30s | %-26s | %9s | %,11d | %d%n", read.label(), triple(read.latency()),
                    ms(read.latency().max()), read.bytes(), read.errors());
        }
        if (rebuild != null) {
            OUT.println();
            OUT.printf(Locale.ROOT, "rebuild   %s: %,d events in %.1f s = %s events/s%n", rebuild.detail(),
                    rebuild.events(), rebuild.seconds(), rate(rebuild.eventsPerSecond()));
        }
        OUT.println();
        OUT.println(loadLine(load, caughtUp, overallApply, expected, found));
        for (Read read : reads) {
            OUT.println(readLine(read, load));
        }
        if (rebuild != null) {
            OUT.println(rebuildLine(rebuild, found));
        }
    }

    private StringBuilder line(String name) {
        StringBuilder b = new StringBuilder("BENCHMARK name=").append(name).append(" run=").append(runTag);
        return b;
    }

    private String loadLine(Load load, CatchUp.Outcome caughtUp, Map<String, Double> overallApply,
                            Workload.Expected expected, PairCounts found) {
        StringBuilder b = line("convergence-load");
        kv(b, "seed", options.seed);
        kv(b, "activities", options.activities);
        kv(b, "agencies", Workload.AGENCY_CODES.size());
        kv(b, "concurrency", options.concurrency);
        kv(b, "proposed", load.accepted());
        kv(b, "committed", load.commits());
        kv(b, "commands", load.commands());
        kv(b, "seconds", num(load.seconds()));
        kv(b, "commands_per_s", num(load.commandsPerSecond()));
        kv(b, "cmd_p50_ms", num(load.all().p50()));
        kv(b, "cmd_p95_ms", num(load.all().p95()));
        kv(b, "cmd_p99_ms", num(load.all().p99()));
        kv(b, "propose_p50_ms", num(load.propose().p50()));
        kv(b, "propose_p99_ms", num(load.propose().p99()));
        kv(b, "commit_p50_ms", num(load.commit().p50()));
        kv(b, "commit_p99_ms", num(load.commit().p99()));
        kv(b, "errors", load.errors().total());
        kv(b, "store_events_per_s", num(load.storeEventsPerSecond()));
        kv(b, "query_apply_during_load_per_s", num(load.applyDuringLoad().getOrDefault(VIEW, Double.NaN)));
        kv(b, "query_apply_overall_per_s", num(overallApply.getOrDefault(VIEW, Double.NaN)));
        kv(b, "catch_up_s", num(caughtUp.seconds()));
        kv(b, "caught_up", caughtUp.caughtUp());
        kv(b, "expected_duplications", expected.duplications());
        kv(b, "expected_joint", expected.joint());
        kv(b, "duplications", found == null ? "NaN" : found.duplications());
        kv(b, "joint", found == null ? "NaN" : found.joint());
        kv(b, "activities_in_duplications", found == null ? "NaN" : found.involved());
        return b.toString();
    }

    private String readLine(Read read, Load load) {
        StringBuilder b = line("convergence-read");
        kv(b, "read", read.label());
        kv(b, "activities", load.accepted());
        kv(b, "calls", read.latency().count());
        kv(b, "p50_ms", num(read.latency().p50()));
        kv(b, "p95_ms", num(read.latency().p95()));
        kv(b, "p99_ms", num(read.latency().p99()));
        kv(b, "max_ms", num(read.latency().max()));
        kv(b, "bytes", read.bytes());
        kv(b, "errors", read.errors());
        return b.toString();
    }

    private String rebuildLine(Rebuild rebuild, PairCounts before) {
        StringBuilder b = line("convergence-rebuild");
        kv(b, "projection", VIEW);
        kv(b, "events", rebuild.events());
        kv(b, "seconds", num(rebuild.seconds()));
        kv(b, "events_per_s", num(rebuild.eventsPerSecond()));
        kv(b, "completed", rebuild.completed());
        kv(b, "pairs_same", rebuild.pairsAfter() == null || before == null ? "NaN"
                : rebuild.pairsAfter().equals(before));
        return b.toString();
    }

    private static String rate(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%,.0f", value);
    }

    /** Prints a line every few seconds from a daemon thread until closed. */
    private static final class Progress implements AutoCloseable {
        private final Thread thread;

        interface Line {
            String get() throws InterruptedException;
        }

        Progress(int seconds, Line line) {
            thread = new Thread(() -> {
                try {
                    while (true) {
                        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
                        OUT.println(line.get());
                    }
                } catch (InterruptedException e) {
                    // closed
                }
            }, "progress");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            thread.interrupt();
            thread.join();
        }
    }
}
