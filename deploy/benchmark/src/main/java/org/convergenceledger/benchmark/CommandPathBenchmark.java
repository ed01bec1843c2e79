package org.convergenceledger.benchmark;

import static org.convergenceledger.benchmark.Report.ms;
import static org.convergenceledger.benchmark.Report.ratio;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The command path (the jar's main): per concurrency level, the rate and latency of propose + commit, the lag until
 * the query service shows a commit, and the raw limits of the same PostgreSQL at the same concurrency in the same
 * run — single-row INSERT transactions, and batched ones (the ceiling of group commit). Read the ratios, not the
 * absolute numbers: the machine is shared. Not a test: it measures (README.md says what each figure means).
 */
public final class CommandPathBenchmark {

    private static final String AGENCY = "BENCH";
    private static final String TABLE = "bench_raw_insert";
    private static final String COMMIT = Ledger.json("{'committedAmount':{'amount':1200000.00,'currency':'MAD'},"
            + "'committedOn':'2024-02-20'}");
    /** Issue 12's targets: the ratio to single-row inserts at 8 and at 32 clients, p50 at 1 client, lag p99. */
    private static final Map<Integer, Double> RATIO_TARGETS = Map.of(8, 0.15, 32, 0.25);
    private static final double P50_TARGET_MS_AT_ONE = 2;
    private static final double LAG_P99_TARGET_MS = 1000;

    /** A phase of propose + commit; {@code endedAt}: when its last command ended (System.nanoTime). */
    private record Commands(Load.Result result, Tally errors, LagSampler lag, long endedAt) {
        double perSecond() {
            return result.perSecond(result.latencies().summary().count());
        }
    }

    private final Options options;
    private final Ledger ledger;
    private final Database database;
    private final String runTag = Report.runTag();
    private final Report.Lines lines = new Report.Lines();
    private Database.EventShape shape;

    public static void main(String[] args) {
        Options options = new Options(CommandPathBenchmark.class, """
                Drives a RUNNING Convergence Ledger (deploy/local.sh start): per level and run, commands/s and latency
                of propose+commit, the lag until the query service shows a commit, and the raw limits (single-row and
                batched INSERT transactions of same-sized rows into the same PostgreSQL, same threads and seconds).
                """).system().option("request-timeout-seconds", "30", "one HTTP request or SQL statement")
                .option("levels", "1,8,32,64", "concurrency levels: worker threads, for commands and raw inserts")
                .option("runs", "3", "every level is measured N times; the summary gives the median")
                .option("per-level-seconds", "15", "seconds of commands, then of single-row, then of batched inserts")
                .option("batch-rows", "16", "rows per transaction of the batched inserts, the group-commit limit")
                .option("warmup-seconds", "10", "unrecorded propose+commit first (after a fresh start: 300)")
                .option("catch-up-timeout-seconds", "120", "after each command phase, wait for the query side")
                .option("lag-min-samples", "200", "a command phase runs on, up to 3 × its seconds, until N commits "
                        + "were sampled for the lag; the sampler's bounds are raised to allow it");
        Launch.main("command-path benchmark", args, options, o -> new CommandPathBenchmark(o).run());
    }

    private CommandPathBenchmark(Options options) {
        this.options = options;
        this.ledger = new Ledger(options.url("command-url"), options.url("query-url"),
                options.positive("request-timeout-seconds"));
        this.database = new Database(options, "jdbc-url");
    }

    private void run() throws Exception {
        List<Integer> levels = options.levels("levels");
        int warmupThreads = Math.min(8, levels.stream().mapToInt(Integer::intValue).max().orElse(1));
        System.out.printf(Locale.ROOT, "== Convergence Ledger: command-path benchmark ==%nrun tag          %s "
                        + "(activities %s:%s-…)%nmachine          %s%nsystem           %s, %s, %s%ndatabase server  "
                        + "%s%n", runTag, AGENCY, runTag, Report.machine(), ledger.commandUrl, ledger.queryUrl,
                database.url, database.settings());
        ledger.register(Map.of(AGENCY, "Benchmark agency"), Map.of("WORK_LINKED_TRAINING", "Work-linked training"));
        List<Report.Line> measured = new ArrayList<>();
        try {
            if (options.integer("warmup-seconds") > 0) {
                Commands warmUp = commands(warmupThreads, options.integer("warmup-seconds"), 0);
                System.out.printf(Locale.ROOT, "warm-up          %,d commands at %d threads (%.1f/s), not recorded; "
                        + "%s%n", warmUp.result().latencies().summary().count(), warmupThreads, warmUp.perSecond(),
                        ledger.awaitCatchUp(warmUp.endedAt(), options.positive("catch-up-timeout-seconds")).detail());
            }
            for (int run = 1; run <= options.positive("runs"); run++) {
                for (int threads : levels) {
                    measured.add(level(run, threads, warmupThreads));
                }
            }
        } finally {
            database.execute("DROP TABLE IF EXISTS " + TABLE); // after Ctrl-C, the next run drops it
        }
        printResults(levels, measured);
    }

    private Report.Line level(int run, int threads, int warmupThreads) throws Exception {
        int seconds = options.positive("per-level-seconds");
        System.out.printf(Locale.ROOT, "%n[run %d, level %d] %d s of propose+commit, then of single-row and of "
                + "batched raw inserts…%n", run, threads, seconds);
        long[] cpu = cpuNow();
        Commands commands = commands(threads, seconds, options.integer("lag-min-samples"));
        long[] cpuAfter = cpuNow();
        double wall = (cpuAfter[0] - cpu[0]) / 1e9;
        Ledger.CatchUp caughtUp = ledger.awaitCatchUp(commands.endedAt(), options.positive("catch-up-timeout-seconds"));
        if (shape == null) {
            shape = database.eventShape(AGENCY + ":" + runTag + "-");
            // a copy of domainevententry: its columns, primary key, unique constraints and timestamp index
            database.execute("DROP TABLE IF EXISTS " + TABLE, "CREATE TABLE " + TABLE + " (globalindex BIGSERIAL "
                    + "PRIMARY KEY, aggregateidentifier VARCHAR(255) NOT NULL, sequencenumber BIGINT NOT NULL, type "
                    + "VARCHAR(255), eventidentifier VARCHAR(255) NOT NULL UNIQUE, metadata BYTEA, payload BYTEA NOT "
                    + "NULL, payloadrevision VARCHAR(255), payloadtype VARCHAR(255) NOT NULL, timestamp VARCHAR(255) "
                    + "NOT NULL, UNIQUE (aggregateidentifier, sequencenumber))", "CREATE INDEX ON " + TABLE
                    + " (timestamp)");
            raw(warmupThreads, 1, 2); // a short raw warm-up before the first level
        }
        Raw single = raw(threads, 1, seconds);
        Raw batched = raw(threads, options.positive("batch-rows"), seconds);
        Latencies all = commands.result().latencies();
        Latencies.Summary lag = commands.lag().lags().summary("seen");
        int timeouts = commands.lag().lags().summary("timed out").count();
        boolean lagMet = lag.count() > 0 && lag.p99() < LAG_P99_TARGET_MS && timeouts == 0;
        Report.Line line = lines.add(new Report.Line("command-path", runTag).kv("repeat", run).kv("level", threads)
                .kv("seconds", commands.result().seconds()).kv("activities", commands.result().units())
                .kv("commands", all.summary().count()).kv("commands_per_s", commands.perSecond())
                .latencies("cmd", all.summary()).latencies("propose", all.summary("propose"))
                .latencies("commit", all.summary("commit")).kv("errors", commands.errors().total())
                .kv("lag_samples", lag.count()).latencies("lag", lag).kv("lag_timeouts", timeouts)
                .kv("polls", commands.lag().polls.get()).kv("in_flight", commands.lag().inFlight)
                .kv("sample_gap_ms", commands.lag().gapMs).kv("catch_up_s", caughtUp.seconds())
                .kv("caught_up", caughtUp.caughtUp()).kv("raw_seconds", single.seconds()).kv("raw_inserts", single
                        .rows()).kv("raw_per_s", single.rowsPerSecond()).latencies("raw", single.latency())
                .kv("raw_errors", single.errors().total()).kv("payload_bytes", shape.payloadBytes())
                .kv("metadata_bytes", shape.metadataBytes()).kv("batched_rows_per_s", batched.rowsPerSecond())
                .kv("batch_rows", options.text("batch-rows")).kv("ratio", commands.perSecond() / single.rowsPerSecond())
                .kv("ratio_batched", commands.perSecond() / batched.rowsPerSecond())
                // cores busy on the whole machine (/proc/stat counts 100 a second) and those of this program: when
                // both near the machine's cores, the program's share is load the system did not get
                .kv("cpu_cores", cpu[2] < 0 ? Double.NaN : (cpuAfter[2] - cpu[2]) / 100.0 / wall)
                .kv("generator_cores", (cpuAfter[1] - cpu[1]) / 1e9 / wall).kv("lag_ok", lagMet));
        System.out.print(commands.errors().describe() + single.errors().describe() + batched.errors().describe());
        return line;
    }

    /** Workers propose an activity of agency BENCH and commit it, again and again; commits are sampled for the lag. */
    private Commands commands(int threads, long seconds, int minSamples) throws Exception {
        LagSampler lag = new LagSampler(ledger, seconds, minSamples);
        Tally errors = new Tally();
        String label = AGENCY + ":" + runTag + "-c" + threads + "-" + System.nanoTime() % 100_000 + "-";
        Load.Result result;
        long ended;
        try {
            result = Load.run(threads, seconds, 0, minSamples > 0 ? () -> lag.sampled.get() < minSamples : null,
                    (index, mine) -> number -> {
                        String id = label + number;
                        if (Load.timed("propose", () -> ledger.command(AGENCY, "", Ledger.proposal(id), null), mine,
                                errors) && Load.timed("commit", () -> ledger.command(AGENCY, "/" + Ledger.path(id)
                                + "/commitment", COMMIT, null), mine, errors)) {
                            lag.accepted(id, System.nanoTime());
                        }
                    });
        } finally {
            ended = System.nanoTime();
            lag.finish();
        }
        if (result.latencies().summary().count() == 0) {
            throw new Fatal("no command succeeded at " + threads + " threads: the system stopped answering.\n"
                    + errors.describe());
        }
        return new Commands(result, errors, lag, ended);
    }

    /** A phase of raw inserts: rows written, the latency of one transaction (one row, or one batch). */
    private record Raw(double seconds, long rows, Latencies.Summary latency, Tally errors) {
        double rowsPerSecond() {
            return rows / seconds;
        }
    }

    /**
     * N threads, each with its own connection, INSERT rows of the stored events' average size (random bytes, fresh
     * per row: nothing for compression to exploit; two rows per aggregate, like propose + commit) into a copy of
     * domainevententry: one row per transaction in autocommit, or {@code batchRows} rows sent as one multi-row
     * INSERT and committed once — the ceiling of group commit, where concurrent commands share a transaction.
     */
    private Raw raw(int threads, int batchRows, long seconds) throws Exception {
        // each phase starts from an empty table: one grown by the previous phases would penalise the later ones
        database.execute("TRUNCATE " + TABLE + " RESTART IDENTITY");
        Tally errors = new Tally();
        String label = runTag + "-c" + threads + "b" + batchRows + "-";
        Load.Result r = Load.run(threads, seconds, 0, null, (index, mine) -> {
            Connection c = database.connect(batchRows > 1);
            c.setAutoCommit(batchRows == 1);
            PreparedStatement insert = c.prepareStatement("INSERT INTO " + TABLE + " (aggregateidentifier, "
                    + "sequencenumber, type, eventidentifier, metadata, payload, payloadtype, timestamp) VALUES (?, ?, "
                    + "?, ?, ?, ?, ?, ?)");
            insert.setQueryTimeout(database.timeoutSeconds);
            byte[] payload = new byte[shape.payloadBytes()];
            byte[] metadata = new byte[shape.metadataBytes()];
            return new Load.Worker() {
                @Override
                public void unit(long number) throws SQLException {
                    long start = System.nanoTime();
                    try {
                        for (long row = number * batchRows; row < (number + 1) * batchRows; row++) {
                            ThreadLocalRandom.current().nextBytes(payload);
                            ThreadLocalRandom.current().nextBytes(metadata);
                            Object[] values = {label + index + "-" + row / 2, row % 2, "Activity", UUID.randomUUID()
                                    .toString(), metadata, payload, "org.convergenceledger.events.activity.Activity"
                                    + "Committed", Instant.now().toString()};
                            for (int p = 0; p < values.length; p++) {
                                insert.setObject(p + 1, values[p]);
                            }
                            if (batchRows == 1) {
                                insert.executeUpdate();
                            } else {
                                insert.addBatch();
                            }
                        }
                        if (batchRows > 1) {
                            insert.executeBatch();
                            c.commit();
                        }
                        mine.add(System.nanoTime() - start);
                    } catch (SQLException e) {
                        errors.record("insert SQLState " + e.getSQLState(), e.getMessage());
                        if (batchRows > 1) {
                            c.rollback();
                        }
                    }
                }

                @Override
                public void close() throws SQLException {
                    c.close();
                }
            };
        });
        Latencies.Summary latency = r.latencies().summary();
        return new Raw(r.seconds(), (long) latency.count() * batchRows, latency, errors);
    }

    /** Now, this JVM's CPU time, and the machine's busy ticks (user, nice, system, irq, softirq, steal; -1: none). */
    private static long[] cpuNow() {
        long busy = 0;
        try {
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            for (int field : new int[] {1, 2, 3, 6, 7, 8}) {
                busy += Long.parseLong(cpu[field]);
            }
        } catch (Exception notLinux) {
            busy = -1;
        }
        return new long[] {System.nanoTime(), ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : 0, busy};
    }

    /** The median of the runs per level, judged against the targets (the lag in every run). */
    private void printResults(List<Integer> levels, List<Report.Line> measured) {
        Report.Table medians = new Report.Table("level", "cmds/s", "cmd p50 ms", "single/s", "batched/s", "ratio",
                "ratio+", "lag p99 ms", "targets");
        List<String> missed = new ArrayList<>();
        for (int threads : levels) {
            List<Report.Line> runs = measured.stream().filter(l -> l.value("level").equals("" + threads)).toList();
            double ratio = median(runs, "ratio");
            double p50 = median(runs, "cmd_p50_ms");
            List<String> targets = new ArrayList<>();
            if (RATIO_TARGETS.containsKey(threads)) {
                targets.add(verdict(ratio >= RATIO_TARGETS.get(threads), "ratio ≥ " + RATIO_TARGETS.get(threads),
                        "ratio at " + threads + ": " + ratio(ratio), missed));
            }
            if (threads == 1) {
                targets.add(verdict(p50 <= P50_TARGET_MS_AT_ONE, "p50 ≤ 2 ms", "p50 at 1: " + ms(p50), missed));
            }
            targets.add(verdict(runs.stream().allMatch(l -> l.value("lag_ok").equals("true")), "lag p99 < 1 s",
                    "lag at " + threads, missed));
            medians.row(threads, ms(median(runs, "commands_per_s")), ms(p50), Report.rate(median(runs, "raw_per_s")),
                    Report.rate(median(runs, "batched_rows_per_s")), ratio(ratio), ratio(median(runs, "ratio_batched")),
                    ms(median(runs, "lag_p99_ms")), String.join(", ", targets));
        }
        List<String> summary = new ArrayList<>(List.of(String.format(Locale.ROOT, "median of %s run(s); ratio = "
                + "commands/s ÷ single-row rows/s, ratio+ = ÷ %s-row batched rows/s (rows of %d + %d bytes)",
                options.text("runs"), options.text("batch-rows"), shape.payloadBytes(), shape.metadataBytes())));
        summary.addAll(medians.lines());
        summary.add("targets: " + (missed.isEmpty() ? "all met" : "missed — " + String.join("; ", missed)));
        lines.print(summary);
    }

    private static String verdict(boolean met, String target, String miss, List<String> missed) {
        if (!met) {
            missed.add(miss);
        }
        return target + (met ? " ✓" : " ✗");
    }

    private static double median(List<Report.Line> runs, String key) {
        double[] sorted = runs.stream().mapToDouble(l -> Double.parseDouble(l.value(key))).sorted().toArray();
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
