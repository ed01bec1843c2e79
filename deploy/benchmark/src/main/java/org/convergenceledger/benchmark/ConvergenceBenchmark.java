package org.convergenceledger.benchmark;

import static org.convergenceledger.benchmark.Report.describe;
import static org.convergenceledger.benchmark.Report.firstLine;
import static org.convergenceledger.benchmark.Report.kv;
import static org.convergenceledger.benchmark.Report.machine;
import static org.convergenceledger.benchmark.Report.ms;
import static org.convergenceledger.benchmark.Report.num;
import static org.convergenceledger.benchmark.Report.rate;
import static org.convergenceledger.benchmark.Report.triple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The convergence benchmark: loads a realistic portfolio of activities from 12 agencies through the command API,
 * waits for the query service to apply it, times the convergence view's reads over it, then rebuilds the view by
 * replay and times that (see docs/benchmarks.md). Not a test: it asserts nothing, it measures — and it checks the pairs the
 * view found against those the same rules give on the generated workload.
 */
public final class ConvergenceBenchmark {

    private static final PrintStream OUT = System.out;
    private static final int READ_WARMUPS = 5;
    private static final String VIEW = "activity-view";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The reads timed, in order: a label for the BENCHMARK line, and the query service path. */
    private static final List<String[]> READS = ConvergenceReads.of(
            ConvergenceReads.matrices("axis", "agency", "axis", "region", "region", "agency"),
            ConvergenceReads.OTHERS,
            List.<String[]>of(new String[] {"activities-agency-page", "/api/activities?agency=BENCHA&size=50"}));

    public static void main(String[] args) {
        Launch.main("convergence benchmark", args, ConvergenceOptions::parse, options -> options.help,
                ConvergenceOptions.USAGE, options -> new ConvergenceBenchmark(options).run());
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

    private record PairCounts(long duplications, long joint, long involved) {
    }

    private record Rebuild(ProjectionRebuild.Status status, PairCounts pairsAfter) {
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
        this.runTag = options.runTagOrNew();
        this.workload = new Workload(options.seed, options.commitPercent / 100.0, runTag);
        this.http = options.http();
        this.catchUp = new CatchUp(http, options.commandUrl, options.queryUrl, options.catchUpTimeoutSeconds,
                Workload.AGENCY_CODES.get(0));
        // RawInsert is used here only for its JDBC connection and the server settings
        this.commandDb = options.commandDatabase();
        this.queryDb = options.queryDatabase();
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
        LedgerSetup.preflight(http, catchUp, options.commandUrl, options.queryUrl, List.of(VIEW), commandDb,
                queryDb);
        LedgerSetup.registerPortfolio(http);
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

        List<TimedReads.Read> reads = reads();
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
        Phase.Timing timing;
        try (Progress ignored = Progress.ofLoad(options.progressSeconds, options.activities, started::get, "sent",
                () -> proposed.get() + committed.get(), errors, catchUp)) {
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
        CommandPath.reportErrors("during the load", load.commands(), errors);
        return load;
    }

    private CatchUp.Outcome awaitCatchUp(Load load) throws InterruptedException {
        OUT.printf(Locale.ROOT, "[catch-up] waiting (at most %d s) until %s has applied the store head…%n",
                options.catchUpTimeoutSeconds, VIEW);
        CatchUp.Outcome outcome;
        long since = System.nanoTime();
        try (Progress ignored = new Progress(options.progressSeconds, () -> String.format(Locale.ROOT,
                "[catch-up %3.0f s] %s", (System.nanoTime() - since) / 1e9, catchUp.positions()))) {
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

    private List<TimedReads.Read> reads() throws Fatal, InterruptedException {
        OUT.printf(Locale.ROOT, "%n[reads] %d warm-up + %d timed sequential calls each…%n", READ_WARMUPS,
                options.readRepeats);
        List<TimedReads.Read> reads = new ArrayList<>();
        for (String[] spec : READS) {
            TimedReads.Read read = TimedReads.time(http, spec[0], spec[1], READ_WARMUPS, options.readRepeats,
                    spec[0].equals("duplications") ? ConvergenceBenchmark::describeDuplications : null);
            OUT.printf(Locale.ROOT, "[reads] %-30s p50 %8s  p95 %8s  p99 %8s ms  %,11d bytes%s%n", read.label(),
                    ms(read.latency().p50()), ms(read.latency().p95()), ms(read.latency().p99()), read.bytes(),
                    read.failures() == 0 ? "" : "  " + read.failures() + " errors, e.g. " + read.firstError());
            reads.add(read);
        }
        return reads;
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
        OUT.printf(Locale.ROOT, "%n[rebuild] POST /api/admin/projections/%s/rebuild, then GET every 500 ms until "
                + "completed or failed (at most %d s)…%n", VIEW, options.rebuildTimeoutSeconds);
        ProjectionRebuild.Status status = ProjectionRebuild.run(http, VIEW, options.rebuildTimeoutSeconds,
                options.progressSeconds);
        OUT.println("[rebuild] " + ProjectionRebuild.describe(status));
        PairCounts after = null;
        if (status.completed()) {
            // The new tables are swapped in when the status says completed: read the pairs from them.
            after = pairCounts();
        }
        if (after != null && before != null) {
            OUT.printf(Locale.ROOT, "[rebuild] pairs after the rebuild: %,d DUPLICATION, %,d JOINT (%s as before)%n",
                    after.duplications(), after.joint(), after.equals(before) ? "the same" : "NOT the same");
        }
        return new Rebuild(status, after);
    }

    // --- results ----------------------------------------------------------------------------------------------------

    private void printSummary(Load load, CatchUp.Outcome caughtUp, Map<String, Double> overallApply,
                              Workload.Expected expected, PairCounts found, List<TimedReads.Read> reads,
                              Rebuild rebuild) {
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
        for (TimedReads.Read read : reads) {
            OUT.printf(Locale.ROOT, "%-30s | %-26s | %9s | %,11d | %d%n", read.label(), triple(read.latency()),
                    ms(read.latency().max()), read.bytes(), read.failures());
        }
        if (rebuild != null) {
            OUT.println();
            OUT.println("rebuild   " + ProjectionRebuild.describe(rebuild.status()));
        }
        OUT.println();
        OUT.println(loadLine(load, caughtUp, overallApply, expected, found));
        for (TimedReads.Read read : reads) {
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

    private String readLine(TimedReads.Read read, Load load) {
        StringBuilder b = line("convergence-read");
        kv(b, "read", read.label());
        kv(b, "activities", load.accepted());
        kv(b, "calls", read.latency().count());
        kv(b, "p50_ms", num(read.latency().p50()));
        kv(b, "p95_ms", num(read.latency().p95()));
        kv(b, "p99_ms", num(read.latency().p99()));
        kv(b, "max_ms", num(read.latency().max()));
        kv(b, "bytes", read.bytes());
        kv(b, "errors", read.failures());
        return b.toString();
    }

    private String rebuildLine(Rebuild rebuild, PairCounts before) {
        StringBuilder b = line("convergence-rebuild");
        kv(b, "projection", VIEW);
        kv(b, "events", rebuild.status().events());
        kv(b, "seconds", num(rebuild.status().seconds()));
        kv(b, "events_per_s", num(rebuild.status().eventsPerSecond()));
        kv(b, "paused_ms", rebuild.status().pausedMillis());
        kv(b, "completed", rebuild.status().completed());
        kv(b, "pairs_same", rebuild.pairsAfter() == null || before == null ? "NaN"
                : rebuild.pairsAfter().equals(before));
        return b.toString();
    }
}
