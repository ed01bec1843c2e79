package org.convergenceledger.benchmark;

import static org.convergenceledger.benchmark.Report.ms;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The read side: a backlog of activities (the {@link Portfolio}'s, each with its life) loaded with both projections
 * paused, then applied; the convergence reads live and about past moments, alone and under a storm of past reads; a
 * rebuild of the activity view and the auditors' replay command — each beside a raw limit of the same database in
 * the same run. The lag behind commands is the command-path benchmark's. README.md says what each figure means.
 */
public final class ReadSideBenchmark {

    private static final List<String> PROJECTIONS = List.of("activity-view", "audit-history");
    private static final List<String> PHASES = List.of("load", "reads", "storm", "rebuild", "replay", "raw");
    private static final String VALID_AT = "2015-06-30T00:00:00Z";
    private static final String RAW_TABLE = "bench_read_side_raw";
    private static final int WARMUPS = 5;
    private static final int RAW_BATCH = 1_000;
    private static final int STORM_PAST_THREADS = 12;
    private static final double APPLY_TARGET = 5_000;
    private static final double LIVE_P95_TARGET_MS = 50;
    private static final double PAST_P95_TARGET_MS = 300;
    private static final double STORM_LIVE_P95_TARGET_MS = 100;
    private static final double REBUILD_TARGET = 50_000;
    private static final double REPLAY_TARGET = 20_000;
    private static final Pattern REPLAYED = Pattern.compile("replayed (\\d+) events .* in ([0-9.]+) s \\(build "
            + "([0-9.]+) s: ([0-9.]+) events/s; JVM start ([0-9.]+) s before\\)");
    /** The replay command's own log lines at INFO and below ("17:45:22.672 [main] INFO …"): counted, not shown. */
    private static final Pattern LOG_LINE = Pattern.compile("^\\d{2}:\\d{2}:\\d{2}\\.\\d{3} \\[[^]]*] (INFO|DEBUG) ");
    /** The 18 reads timed: a label for the BENCHMARK lines → the query service's path. */
    private static final Map<String, String> READS = new LinkedHashMap<>();
    /** What the storm's two live readers ask, in turn. */
    private static final List<String> STORM_LIVE_READS = List.of("/api/convergence/matrix?rows=axis&cols=agency",
            "/api/convergence/axes", "/api/convergence/duplications");

    static {
        String[] matrices = {"axis", "agency", "axis", "region", "region", "agency", "region", "targetGroup"};
        for (String filter : List.of("", "&axis=GENDER&from=2020-01-01&to=2022-12-31")) {
            for (int i = 0; i < matrices.length; i += 2) {
                READS.put("matrix-" + matrices[i] + "-" + matrices[i + 1] + (filter.isEmpty() ? "" : "-filtered"),
                        "/api/convergence/matrix?rows=" + matrices[i] + "&cols=" + matrices[i + 1] + filter);
            }
        }
        String[][] reads = {{"matrix-axis-agency-BENCHA", "matrix?rows=axis&cols=agency&agency=BENCHA"},
                {"matrix-axis-region-started", "matrix?rows=axis&cols=region&state=STARTED"}, {"duplications",
                "duplications"}, {"duplications-agency-axis", "duplications?agency=BENCHA&axis=GENDER"},
                {"joint", "joint"}, {"gaps", "gaps"}, {"gaps-2024", "gaps?from=2024-01-01&to=2024-12-31"},
                {"progress", "progress"}, {"progress-gender", "progress?axis=GENDER"}, {"axes", "axes"}};
        for (String[] read : reads) {
            READS.put(read[0], "/api/convergence/" + read[1]);
        }
    }

    private final Options options;
    private final Ledger ledger;
    private final Database commandDb;
    private final Database queryDb;
    private final String runTag;
    private final Portfolio portfolio;
    private final Report.Lines lines = new Report.Lines();
    private final List<String> summary = new ArrayList<>();
    private final List<Report.Line> applied = new ArrayList<>();
    /** Whether this run paused the projections and has not resumed them yet (the shutdown hook then does). */
    private volatile boolean paused;

    public static void main(String[] args) {
        Options options = new Options(ReadSideBenchmark.class, """
                Measures the read side of a RUNNING Convergence Ledger (deploy/local.sh start; run from the repository
                root): a backlog applied, reads live and about past moments (alone and under a storm of past reads), a
                rebuild, the auditors' replay command, and the raw limits of the query database (COPY, INSERT).
                """).system().option("query-jdbc-url", "jdbc:postgresql://localhost:15432/ledger_query", "query "
                        + "database: the raw limits' scratch table, the replay's schema")
                .option("activities", "100000", "activities loaded as the backlog, each with its life")
                .option("concurrency", "16", "worker threads sending the backlog")
                .option("seed", "2024", "the portfolio's seed: same seed, same activities and lives")
                .option("run-tag", Report.runTag(), "the activity ids' middle part, BENCHx:TAG-n")
                .option("read-repeats", "50", "timed calls per read and moment, after 5 warm-up calls")
                .option("storm-seconds", "20", "seconds of 12 threads of past reads beside 2 of live reads")
                .option("query-jar", "query-service/target/query-service-0.1.0-SNAPSHOT-exec.jar", "the query "
                        + "service's jar, for the replay command")
                .option("catch-up-timeout-seconds", "1800", "waits for the query side to apply a backlog")
                .option("rebuild-timeout-seconds", "1800", "waits for the rebuild, and for the replay command");
        PHASES.forEach(phase -> options.option("skip-" + phase, "false", "leave out the " + phase + " phase"));
        Launch.main("read-side benchmark", args, options, o -> new ReadSideBenchmark(o).run());
    }

    private ReadSideBenchmark(Options options) {
        this.options = options;
        this.ledger = new Ledger(options.url("command-url"), options.url("query-url"),
                options.positive("request-timeout-seconds"));
        this.commandDb = new Database(options, "jdbc-url");
        this.queryDb = new Database(options, "query-jdbc-url");
        this.runTag = options.text("run-tag");
        this.portfolio = new Portfolio(Long.parseLong(options.text("seed")), runTag);
    }

    private boolean runs(String phase) {
        return !options.flag("skip-" + phase);
    }

    private void run() throws Exception {
        System.out.printf(Locale.ROOT, "== Convergence Ledger: read-side benchmark ==%nrun tag          %s (activities "
                        + "BENCHA…BENCHL:%s-n)%nworkload         %,d activities, seed %s, %d threads; %d reads × 4 "
                        + "moments; skipped: %s%nmachine          %s%nsystem           %s, %s, %s, %s%ndatabase server "
                        + " %s%n", runTag, runTag, options.positive("activities"), options.text("seed"),
                options.positive("concurrency"), READS.size(), PHASES.stream().filter(p -> !runs(p)).toList(),
                Report.machine(), ledger.commandUrl, ledger.queryUrl, commandDb.url, queryDb.url, queryDb.settings());
        ledger.register(Portfolio.AGENCIES, Portfolio.AXES);
        Runtime.getRuntime().addShutdownHook(new Thread(this::cleanUp, "read-side-clean-up"));
        awaitQuiet("at the start");
        Backlog backlog = runs("load") ? loadAndApply() : new Backlog(0, Instant.now().truncatedTo(ChronoUnit.MILLIS));
        if (runs("reads")) {
            reads(backlog.knownAt());
        }
        if (runs("storm")) {
            storm(backlog.knownAt());
        }
        Report.Line rebuild = runs("rebuild") ? rebuild() : null;
        Report.Line replay = runs("replay") ? replay() : null;
        double[] limits = runs("raw") ? limits(backlog.events()) : new double[] {Double.NaN, Double.NaN};
        // each figure beside the limit it is bounded by: the apply by INSERT, the rebuild and the replay by COPY
        for (Report.Line apply : applied) {
            apply.kv("insert_rows_per_s", limits[1]).kv("ratio", Double.parseDouble(apply.value("events_per_s"))
                    / limits[1]);
        }
        for (Report.Line line : new Report.Line[] {rebuild, replay}) {
            if (line != null) {
                line.kv("copy_rows_per_s", limits[0]).kv("ratio", Double.parseDouble(line.value("events_per_s"))
                        / limits[0]);
            }
        }
        lines.print(summary);
    }

    private void awaitQuiet(String when) throws Fatal, InterruptedException {
        Ledger.CatchUp quiet = ledger.awaitCatchUp(System.nanoTime(), options.positive("catch-up-timeout-seconds"));
        if (!quiet.caughtUp()) {
            throw new Fatal("the query side is behind " + when + " (" + quiet.detail() + "): measure a quiet system");
        }
        System.out.println("quiet            " + when + ": both projections at the store head");
    }

    private void control(String action) throws Fatal, InterruptedException {
        for (String projection : PROJECTIONS) {
            String url = ledger.queryUrl + "/api/admin/projections/" + projection + "/" + action;
            try {
                Ledger.Reply reply = ledger.admin("POST", url, null);
                if (reply.status() != 200) {
                    throw new Fatal("POST " + url + " answered " + reply.status() + " " + reply.text());
                }
            } catch (IOException e) {
                throw new Fatal("POST " + url + ": the query service did not answer: " + e);
            }
        }
        paused = action.equals("pause");
    }

    /** Resumes the projections when the run ends early (Ctrl-C, a failure) while they are paused. */
    private void cleanUp() {
        try {
            if (paused) {
                control("resume");
                System.err.println("read-side benchmark: resumed the projections this run paused");
            }
        } catch (Fatal | InterruptedException e) {
            System.err.println("read-side benchmark: the projections are still paused, resume them: " + e.getMessage());
        }
    }

    /** The events the backlog stored, and the middle of its load: the past reads' knownAt. */
    private record Backlog(long events, Instant knownAt) {
    }

    private Backlog loadAndApply() throws Exception {
        control("pause");
        Map<String, Long> atPause = ledger.positions();
        long headAtPause = ledger.storeHead();
        int activities = options.positive("activities");
        System.out.printf(Locale.ROOT, "%n[load] paused at %s; sending %,d activities' lives at %d threads…%n",
                atPause, activities, options.positive("concurrency"));
        Tally errors = new Tally();
        Tally kinds = new Tally();
        Instant begin = Instant.now();
        Load.Result r = Load.run(options.positive("concurrency"), 0, activities, null, (index, mine) -> number -> {
            for (Portfolio.Step step : portfolio.life((int) number)) {
                if (!Load.timed(step.kind(), () -> ledger.command(step.agency(), step.path(), step.body(),
                        step.occurredAt()), mine, errors)) {
                    break; // the rest of this life would be refused too
                }
                kinds.record(step.kind(), "");
            }
            if (number % 5000 == 4999) {
                System.out.printf(Locale.ROOT, "[load] %,d lives sent, %d errors; store head %,d%n", number + 1,
                        errors.total(), ledger.storeHead());
            }
        });
        Instant knownAt = begin.plus(Duration.between(begin, Instant.now()).dividedBy(2))
                .truncatedTo(ChronoUnit.MILLIS);
        long events = ledger.storeHead() - headAtPause;
        long commands = r.latencies().summary().count();
        Report.Line line = new Report.Line("read-side-load", runTag).kv("seed", options.text("seed"))
                .kv("activities", r.units()).kv("concurrency", options.positive("concurrency"));
        Portfolio.KINDS.forEach(kind -> line.kv(kind, kinds.count(kind)));
        lines.add(line.kv("commands", commands).kv("seconds", r.seconds()).kv("commands_per_s", r.perSecond(commands))
                .latencies("cmd", r.latencies().summary()).kv("errors", errors.total()).kv("events_stored", events)
                .kv("events_per_activity", events / (double) r.units()).kv("known_at", knownAt));
        System.out.print(errors.describe());
        if (commands == 0) {
            throw new Fatal("no command succeeded during the load: the command service is broken for this workload");
        }
        apply(atPause, headAtPause + events);
        return new Backlog(events, knownAt);
    }

    /**
     * Resumes both projections and polls the health every 100 ms until each one's position reaches the store head:
     * events applied (the head − its position at the pause) ÷ seconds from the resume, the consumer's restart
     * included (with a small backlog it dominates).
     */
    private void apply(Map<String, Long> atPause, long head) throws Exception {
        long start = System.nanoTime();
        control("resume");
        Map<String, Double> done = new LinkedHashMap<>();
        long deadline = start + TimeUnit.SECONDS.toNanos(options.positive("catch-up-timeout-seconds"));
        for (int polls = 1; done.size() < PROJECTIONS.size() && System.nanoTime() - deadline < 0; polls++) {
            Map<String, Long> at = ledger.positions();
            PROJECTIONS.stream().filter(p -> at.getOrDefault(p, -1L) >= head)
                    .forEach(p -> done.putIfAbsent(p, (System.nanoTime() - start) / 1e9));
            if (polls % 100 == 0) {
                System.out.println("[apply] applied " + at + " of " + head);
            }
            Thread.sleep(100);
        }
        for (String projection : PROJECTIONS) {
            long events = head - Math.max(0, atPause.getOrDefault(projection, 0L));
            double perSecond = events / done.getOrDefault(projection, Double.NaN);
            applied.add(lines.add(new Report.Line("read-side-apply", runTag).kv("projection", projection)
                    .kv("events", events).kv("seconds", done.getOrDefault(projection, Double.NaN))
                    .kv("events_per_s", perSecond).kv("caught_up", done.containsKey(projection))
                    .kv("target_events_per_s", APPLY_TARGET).kv("ok", perSecond >= APPLY_TARGET)));
        }
    }

    private static String at(String path, String parameters) {
        return parameters.isEmpty() ? path : path + (path.contains("?") ? "&" : "?") + parameters;
    }

    /**
     * Each read at four moments — live, knownAt, validAt, both — 5 warm-up calls, then --read-repeats sequential
     * timed calls (request sent → whole body received); only 200s are timed, the others counted (429s included).
     */
    private void reads(Instant knownAt) throws Exception {
        Map<String, String> moments = new LinkedHashMap<>();
        moments.put("live", "");
        moments.put("knownAt", "knownAt=" + knownAt);
        moments.put("validAt", "validAt=" + VALID_AT);
        moments.put("both", "knownAt=" + knownAt + "&validAt=" + VALID_AT);
        System.out.printf("%n[reads] knownAt=%s, validAt=%s…%n", knownAt, VALID_AT);
        Report.Table table = new Report.Table("read: p50 / p95 ms", "live", "knownAt", "validAt", "both");
        List<String> slow = new ArrayList<>();
        for (Map.Entry<String, String> read : READS.entrySet()) {
            List<String> row = new ArrayList<>(List.of(read.getKey()));
            for (Map.Entry<String, String> moment : moments.entrySet()) {
                Latencies times = new Latencies();
                Tally errors = new Tally();
                long bytes = -1;
                for (int i = 0; i < WARMUPS + options.positive("read-repeats"); i++) {
                    long start = System.nanoTime();
                    Ledger.Reply reply = ledger.get(ledger.queryUrl + at(read.getValue(), moment.getValue()), null);
                    if (reply.status() == 200 && i >= WARMUPS) {
                        times.add(System.nanoTime() - start);
                    }
                    bytes = reply.status() == 200 ? reply.body().length : bytes;
                    if (reply.status() != 200) {
                        errors.record(reply.status() == 429 ? "429" : "error", reply.status() + " " + reply.text());
                    }
                }
                Latencies.Summary latency = times.summary();
                double target = moment.getKey().equals("live") ? LIVE_P95_TARGET_MS : PAST_P95_TARGET_MS;
                boolean ok = latency.count() > 0 && latency.p95() < target;
                row.add(ms(latency.p50()) + " / " + ms(latency.p95()) + (ok ? "" : " !"));
                slow.addAll(ok ? List.of() : List.of(read.getKey() + " " + moment.getKey()));
                lines.add(new Report.Line("read-side-read", runTag).kv("read", read.getKey())
                        .kv("mode", moment.getKey()).kv("calls", latency.count()).latencies("", latency)
                        .kv("bytes", bytes).kv("errors", errors.total()).kv("target_p95_ms", target).kv("ok", ok));
                System.out.print(errors.describe());
            }
            table.row(row.toArray());
        }
        summary.add(String.format(Locale.ROOT, "reads     knownAt=%s, validAt=%s; ! = target missed (live p95 < %.0f "
                + "ms, past p95 < %.0f ms): %s", knownAt, VALID_AT, LIVE_P95_TARGET_MS, PAST_P95_TARGET_MS, slow));
        table.lines().forEach(line -> summary.add("          " + line));
    }

    /** Twelve threads loop over the reads at knownAt while two loop over live reads: no 5xx, live p95 < 100 ms. */
    private void storm(Instant knownAt) throws Exception {
        System.out.printf("%n[storm] %s s of %d threads of past reads beside 2 of live reads…%n",
                options.text("storm-seconds"), STORM_PAST_THREADS);
        List<String> past = READS.values().stream().map(path -> at(path, "knownAt=" + knownAt)).toList();
        Tally answers = new Tally();
        Load.Result r = Load.run(STORM_PAST_THREADS + 2, options.positive("storm-seconds"), 0, null, (index, mine) ->
                number -> {
                    boolean isPast = index < STORM_PAST_THREADS;
                    String path = isPast ? past.get((int) (number % past.size()))
                            : STORM_LIVE_READS.get((int) (number % STORM_LIVE_READS.size()));
                    long start = System.nanoTime();
                    int status = ledger.get(ledger.queryUrl + path, null).status();
                    if (status == 200) {
                        mine.add(isPast ? "past" : "live", System.nanoTime() - start);
                    }
                    answers.record(status == 200 ? "200" : status == 429 ? "429" : status >= 500 ? "5xx"
                            : status < 0 ? "failed" : "other", path);
                });
        Report.Line line = new Report.Line("read-side-storm", runTag).kv("seconds", r.seconds())
                .kv("past_threads", STORM_PAST_THREADS).kv("live_threads", 2);
        List.of("200", "429", "5xx", "other", "failed").forEach(kind -> line.kv("status_" + kind, answers.count(kind)));
        Latencies.Summary live = r.latencies().summary("live");
        lines.add(line.latencies("live", live).latencies("past", r.latencies().summary("past"))
                .kv("target_live_p95_ms", STORM_LIVE_P95_TARGET_MS).kv("ok", answers.count("5xx") == 0
                        && live.count() > 0 && live.p95() < STORM_LIVE_P95_TARGET_MS));
        System.out.print(answers.describe());
    }

    /**
     * POST …/activity-view/rebuild (202: the view is built from the event store into staging tables and swapped in,
     * the live one answering meanwhile), then GET of the same path every 500 ms until completed or failed. The
     * figures are the service's own: events, seconds, events/s, and how long the live processor paused for the swap.
     */
    private Report.Line rebuild() throws Exception {
        awaitQuiet("before the rebuild");
        String url = ledger.queryUrl + "/api/admin/projections/activity-view/rebuild";
        System.out.printf("%n[rebuild] POST %s, then GET every 500 ms until completed or failed…%n", url);
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(options.positive("rebuild-timeout-seconds"));
        Ledger.Reply reply = ledger.admin("POST", url, null);
        String state = reply.status() == 202 ? "requested" : "refused";
        while (!List.of("completed", "failed", "refused", "timed-out").contains(state)) {
            Thread.sleep(500);
            reply = ledger.admin("GET", url, null);
            state = System.nanoTime() - deadline > 0 ? "timed-out" : reply.json().path("state").asText("?");
        }
        if (!state.equals("completed")) {
            System.out.println("[rebuild] " + state + ": " + reply.status() + " " + reply.text());
        }
        var status = reply.json();
        double perSecond = status.path("eventsPerSecond").asDouble(Double.NaN);
        return lines.add(new Report.Line("read-side-rebuild", runTag).kv("projection", "activity-view")
                .kv("state", state).kv("events", status.path("events").asLong(-1)).kv("seconds", status.path(
                        "seconds").asDouble(Double.NaN)).kv("events_per_s", perSecond).kv("paused_ms", status.path(
                        "pausedMillis").asLong(-1)).kv("wall_s", (System.nanoTime() - start) / 1e9)
                .kv("target_events_per_s", REBUILD_TARGET).kv("ok", perSecond >= REBUILD_TARGET));
    }

    /**
     * The auditors' replay as they run it: {@code java -jar <query-jar> replay --event-store=… --into=…
     * --compare-with=…} in its own JVM on this JDK, the passwords and the AUDITOR key in its environment; its line
     * "replayed N events … (build B s: R events/s; JVM start J s before)" and MATCH or DIFFERENT are read.
     */
    private Report.Line replay() throws Exception {
        awaitQuiet("before the replay");
        Path jar = Path.of(options.text("query-jar"));
        if (!Files.isRegularFile(jar)) {
            System.out.println("\n[replay] not run: no query service jar at " + jar.toAbsolutePath() + " (build it: mvn"
                    + " -q -pl query-service -am package -DskipTests, or give --query-jar)");
            return null;
        }
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.language=en", "-Duser.country=US", "-jar", jar.toString(), "replay", "--event-store="
                        + commandDb.url, "--event-store-user=" + options.text("db-user"), "--into=" + queryDb.url,
                "--into-user=" + options.text("db-user"), "--compare-with=" + ledger.queryUrl);
        System.out.printf("%n[replay] %s…%n", String.join(" ", command));
        Path output = Files.createTempFile("replay-", ".log"); // read when it ended: a pipe could fill and block it
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(Map.of("LEDGER_EVENT_STORE_PASSWORD", commandDb.password,
                "LEDGER_INTO_PASSWORD", queryDb.password, "LEDGER_AUDITOR_KEY", ledger.key("AUDITOR")));
        long start = System.nanoTime();
        Process process = builder.start();
        boolean ended = process.waitFor(options.positive("rebuild-timeout-seconds"), TimeUnit.SECONDS);
        process.destroyForcibly();
        String text = "\n" + Files.readString(output);
        Files.delete(output);
        text.lines().filter(line -> !line.isEmpty() && !LOG_LINE.matcher(line).find())
                .forEach(line -> System.out.println("[replay] | " + line));
        Matcher replayed = REPLAYED.matcher(text);
        boolean parsed = replayed.find();
        IntFunction<String> group = i -> parsed ? replayed.group(i) : "NaN";
        String match = text.contains("\nMATCH") ? "true" : text.contains("\nDIFFERENT") ? "false" : "NaN";
        double perSecond = Double.parseDouble(group.apply(4));
        return lines.add(new Report.Line("read-side-replay", runTag).kv("exit", ended ? process.exitValue() : -1)
                .kv("events", group.apply(1)).kv("build_s", group.apply(3)).kv("events_per_s", perSecond)
                .kv("jvm_start_s", group.apply(5)).kv("total_s", group.apply(2)).kv("wall_s", (System.nanoTime()
                        - start) / 1e9).kv("match", match).kv("target_events_per_s", REPLAY_TARGET)
                .kv("ok", perSecond >= REPLAY_TARGET && match.equals("true")));
    }

    /**
     * Rows of the stored events' average size (payload + metadata), as many as the backlog's events, into a scratch
     * table of the query database: one COPY of them all in one transaction (the limit of the rebuild and the replay,
     * which write with COPY), then INSERTs of 1,000 rows per statement, a transaction each (the batch apply's):
     * the rows/s of each.
     */
    private double[] limits(long backlog) throws Exception {
        Database.EventShape shape = commandDb.eventShape("BENCH_:" + runTag + "-");
        long rows = backlog > 0 ? backlog : shape.events();
        int rowBytes = shape.payloadBytes() + shape.metadataBytes();
        System.out.printf(Locale.ROOT, "%n[raw] %,d rows of %d bytes (the average payload + metadata of %,d %s)…%n",
                rows, rowBytes, shape.events(), shape.wholeTable() ? "stored events" : "events of this run");
        String data = new SplittableRandom().ints(rowBytes, 0, 36).collect(StringBuilder::new, (b, c) -> b.append(
                Character.forDigit(c, 36)), StringBuilder::append).toString(); // letters and digits, made beforehand
        queryDb.execute("DROP TABLE IF EXISTS " + RAW_TABLE, "CREATE TABLE " + RAW_TABLE + " (global_sequence BIGINT "
                + "PRIMARY KEY, activity_id VARCHAR(255) NOT NULL, data TEXT NOT NULL)");
        double[] seconds = new double[2];
        try (Connection c = queryDb.connect(false)) {
            c.setAutoCommit(false);
            long start = System.nanoTime();
            CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + RAW_TABLE + " FROM STDIN");
            StringBuilder chunk = new StringBuilder();
            for (long row = 0; row < rows; row++) {
                chunk.append(row).append("\tBENCHA:").append(runTag).append('-').append(row / 2).append('\t')
                        .append(data).append('\n');
                if ((row + 1) % RAW_BATCH == 0 || row + 1 == rows) {
                    byte[] bytes = chunk.toString().getBytes(StandardCharsets.UTF_8);
                    copy.writeToCopy(bytes, 0, bytes.length);
                    chunk.setLength(0);
                }
            }
            copy.endCopy();
            c.commit();
            seconds[0] = (System.nanoTime() - start) / 1e9;
            c.createStatement().execute("TRUNCATE " + RAW_TABLE);
            c.commit();
            c.setAutoCommit(true);
            start = System.nanoTime();
            PreparedStatement full = c.prepareStatement(insertSql(RAW_BATCH));
            for (long first = 0; first < rows; first += RAW_BATCH) {
                int size = (int) Math.min(RAW_BATCH, rows - first);
                PreparedStatement insert = size == RAW_BATCH ? full : c.prepareStatement(insertSql(size));
                for (int i = 0; i < size; i++) {
                    insert.setLong(3 * i + 1, first + i);
                    insert.setString(3 * i + 2, "BENCHA:" + runTag + "-" + (first + i) / 2);
                    insert.setString(3 * i + 3, data);
                }
                insert.executeUpdate();
            }
            seconds[1] = (System.nanoTime() - start) / 1e9;
        } finally {
            queryDb.execute("DROP TABLE IF EXISTS " + RAW_TABLE);
        }
        for (int i = 0; i < 2; i++) {
            lines.add(new Report.Line("read-side-raw", runTag).kv("kind", i == 0 ? "copy" : "multi-row-insert")
                    .kv("rows", rows).kv("row_bytes", rowBytes).kv("seconds", seconds[i])
                    .kv("rows_per_s", rows / seconds[i]));
        }
        return new double[] {rows / seconds[0], rows / seconds[1]};
    }

    private static String insertSql(int rows) {
        return "INSERT INTO " + RAW_TABLE + " VALUES " + String.join(", ", Collections.nCopies(rows, "(?, ?, ?)"));
    }
}
