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
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.convergenceledger.events.canonical.Checkpoints;
import org.convergenceledger.events.canonical.Merkle;
import org.convergenceledger.events.verify.LedgerVerifier;

/**
 * The audit benchmark: what the auditable history costs and how fast it is checked (see docs/benchmarks.md). Offline, the
 * standalone verifier on a synthetic export of a million events; online, the sealing cost on the append path next
 * to plain inserts in the same PostgreSQL and the same run, the export's throughput, and the latency of inclusion
 * proofs, each proof verified. Not a test: it measures, and it prints every check that does not hold.
 */
public final class AuditBenchmark {

    private static final PrintStream OUT = System.out;
    private static final int SEAL_WARMUP_SECONDS = 2;
    private static final double MB = 1024.0 * 1024.0;

    public static void main(String[] args) {
        Launch.main("audit benchmark", args, AuditOptions::parse, options -> options.help, AuditOptions.USAGE,
                options -> new AuditBenchmark(options).run());
    }

    private final AuditOptions options;
    private final String runTag;
    private final LedgerHttp http;
    private final RawInsert db;
    private final List<String> lines = new ArrayList<>();
    private final List<String> summary = new ArrayList<>();
    private final Set<Path> created = new java.util.concurrent.CopyOnWriteArraySet<>();
    private Path workDir;
    private boolean ownWorkDir;
    private volatile boolean tableCreated;

    private AuditBenchmark(AuditOptions options) {
        this.options = options;
        this.runTag = Report.newRunTag();
        // only the command service's audit endpoints are read: the query URL is never used
        this.http = new LedgerHttp(options.commandUrl, options.commandUrl,
                Duration.ofSeconds(options.requestTimeoutSeconds));
        this.db = new RawInsert(options.jdbcUrl, options.dbUser, options.dbPassword, options.requestTimeoutSeconds);
    }

    private void run() throws Exception {
        printHeader();
        Runtime.getRuntime().addShutdownHook(new Thread(this::cleanUp, "audit-benchmark-clean-up"));
        try {
            workDir = options.workDir != null ? Files.createDirectories(options.workDir)
                    : Files.createTempDirectory("audit-benchmark-");
            ownWorkDir = options.workDir == null;
            if (!options.skipOffline) {
                offline();
            }
            if (!options.skipOnline) {
                preflight();
                sealing();
                export();
                proofs();
            }
        } finally {
            cleanUp();
        }
        OUT.println();
        OUT.println("== Results ==");
        summary.forEach(OUT::println);
        OUT.println();
        lines.forEach(OUT::println);
    }

    private void printHeader() {
        OUT.println("== Convergence Ledger: audit benchmark ==");
        OUT.println("run tag          " + runTag);
        OUT.println("machine          " + machine());
        if (!options.skipOffline) {
            OUT.printf(Locale.ROOT, "offline          synthetic export of %,d events over %,d activities, %d signed tree "
                            + "heads, seed %d; the verifier runs in this JVM%n", options.events, options.activities(),
                    options.signedHeads, options.seed);
        }
        if (!options.skipOnline) {
            OUT.printf(Locale.ROOT, "sealing cost     levels %s, %d round(s) of %d s without then %d s with sealing per "
                            + "level, %d event(s) per activity, scratch table %s (dropped at the end)%n",
                    options.levels.stream().map(String::valueOf).collect(Collectors.joining(", ")), options.rounds,
                    options.seconds, options.seconds, options.chainLength, SealingCost.TABLE);
            OUT.printf(Locale.ROOT, "export, proofs   GET /api/audit/export (ndjson, csv) streamed whole once each; %d "
                    + "warm-up + %d timed inclusion proofs%n", options.proofWarmups, options.proofs);
            OUT.println("command-service  " + options.commandUrl);
            OUT.println("database         " + options.jdbcUrl + " (user " + options.dbUser + ")");
        }
    }

    // --- 1. offline: the verifier ---------------------------------------------------------------------------------

    private void offline() throws IOException {
        OUT.printf(Locale.ROOT, "%n[offline] writing a synthetic export of %,d events to %s…%n", options.events,
                workDir);
        SyntheticLedger.Files files;
        try {
            files = SyntheticLedger.write(workDir, options.events, options.activities(), options.signedHeads,
                    options.seed);
        } finally {
            created.add(workDir.resolve("ledger.ndjson"));
            created.add(workDir.resolve("checkpoints.json"));
            created.add(workDir.resolve("public-key.json"));
        }
        double perEvent = (double) files.bytes() / files.events();
        OUT.printf(Locale.ROOT, "[offline] generated %,d events of %,d activities (%.1f per activity) in %.1f s = %,.0f "
                        + "events/s; %s, %.0f bytes per record%n", files.events(), files.activities(),
                (double) files.events() / files.activities(), files.seconds(), files.events() / files.seconds(),
                size(files.bytes()), perEvent);
        OUT.printf(Locale.ROOT, "[offline] event types: %s%n", files.types().entrySet().stream()
                .map(e -> e.getKey() + " " + String.format(Locale.ROOT, "%,d", e.getValue()))
                .collect(Collectors.joining(", ")));
        OUT.printf(Locale.ROOT, "[offline] of which hashing: EventHash.of (canonical JSON + SHA-256) %.1f s = %,.0f "
                        + "events/s; Merkle leaf + node hashes %.1f s = %,.0f leaves/s; %d signed heads (root + "
                        + "Ed25519) %.3f s; tree sizes %s%n", files.hashSeconds(),
                files.events() / files.hashSeconds(), files.merkleSeconds(), files.events() / files.merkleSeconds(),
                files.headSizes().size(), files.headSeconds(), files.headSizes());
        StringBuilder g = line("audit-generate");
        kv(g, "events", files.events());
        kv(g, "activities", files.activities());
        kv(g, "bytes", files.bytes());
        kv(g, "seconds", num(files.seconds()));
        kv(g, "events_per_s", num(files.events() / files.seconds()));
        kv(g, "eventhash_seconds", num(files.hashSeconds()));
        kv(g, "eventhash_per_s", num(files.events() / files.hashSeconds()));
        kv(g, "merkle_seconds", num(files.merkleSeconds()));
        kv(g, "merkle_leaves_per_s", num(files.events() / files.merkleSeconds()));
        lines.add(g.toString());

        JsonNode checkpoints = AuditEvents.JSON.readTree(files.checkpoints().toFile());
        JsonNode publicKey = AuditEvents.JSON.readTree(files.publicKey().toFile());
        System.gc(); // the generator's tree and chains are garbage: do not make the verifier pay for collecting them
        OUT.println("[offline] LedgerVerifier.verify on it…");
        long start = System.nanoTime();
        LedgerVerifier.Result result = LedgerVerifier.verify(files.export(), checkpoints, publicKey);
        double seconds = (System.nanoTime() - start) / 1e9;
        OUT.printf(Locale.ROOT, "[offline] %s: \"%s\" in %.1f s = %,.0f events/s, %.1f MB/s%n",
                result.ok() ? "ok" : "NOT OK", result.message(), seconds, files.events() / seconds,
                files.bytes() / MB / seconds);
        StringBuilder v = line("audit-verify");
        kv(v, "events", files.events());
        kv(v, "bytes", files.bytes());
        kv(v, "signed_heads", files.headSizes().size());
        kv(v, "seconds", num(seconds));
        kv(v, "events_per_s", num(files.events() / seconds));
        kv(v, "mb_per_s", num(files.bytes() / MB / seconds));
        kv(v, "ok", result.ok());
        lines.add(v.toString());
        summary.add(String.format(Locale.ROOT, "verifier  %,d events (%s NDJSON): %.1f s = %,.0f events/s, %.1f MB/s, "
                        + "%s; generating them (EventHash + Merkle + JSON + file) %,.0f events/s, EventHash alone "
                        + "%,.0f/s, Merkle alone %,.0f leaves/s", files.events(), size(files.bytes()), seconds,
                files.events() / seconds, files.bytes() / MB / seconds, result.ok() ? "ok" : "NOT OK",
                files.events() / files.seconds(), files.events() / files.hashSeconds(),
                files.events() / files.merkleSeconds()));

        SyntheticLedger.Tamper tamper = files.tamper();
        if (tamper == null) {
            OUT.println("[offline] no event to tamper with (too few events): tamper check skipped");
            return;
        }
        long copying = System.nanoTime();
        Path copy = SyntheticLedger.tamperedCopy(files, workDir);
        created.add(copy);
        OUT.printf(Locale.ROOT, "[offline] copied the export (%.1f s, not timed) and flipped one payload byte of event "
                        + "%s (global sequence %,d of %,d, %s): '%c' → '%c' at offset %,d%n",
                (System.nanoTime() - copying) / 1e9, tamper.eventId(), tamper.globalSequence(), files.events(),
                tamper.aggregateId(), tamper.from(), tamper.to(), tamper.offset());
        start = System.nanoTime();
        LedgerVerifier.Result tampered = LedgerVerifier.verify(copy, checkpoints, publicKey);
        double found = (System.nanoTime() - start) / 1e9;
        boolean named = !tampered.ok() && tampered.message().contains(tamper.eventId())
                && tampered.message().contains("global sequence " + tamper.globalSequence() + " ");
        OUT.printf(Locale.ROOT, "[offline] verifier on the tampered copy after %.1f s: \"%s\" — %s%n", found,
                tampered.message(), named ? "names the changed event" : "DOES NOT name the changed event");
        Files.deleteIfExists(copy);
        StringBuilder t = line("audit-tamper");
        kv(t, "events", files.events());
        kv(t, "tampered_sequence", tamper.globalSequence());
        kv(t, "seconds_to_find", num(found));
        kv(t, "detected", !tampered.ok());
        kv(t, "names_event", named);
        lines.add(t.toString());
        summary.add(String.format(Locale.ROOT, "tamper    one payload byte flipped at global sequence %,d: %s after "
                + "%.1f s", tamper.globalSequence(), named ? "named by the verifier" : "NOT named", found));
    }

    // --- online: preflight ----------------------------------------------------------------------------------------

    private void preflight() throws Fatal, InterruptedException {
        List<String> problems = new ArrayList<>();
        http.checkHealth("command-service", options.commandUrl, problems);
        long events = -1;
        long head = -1;
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT to_regclass('domainevententry') IS NOT NULL, "
                     + "to_regclass('merkle_leaf') IS NOT NULL")) {
            r.next();
            if (!r.getBoolean(1) || !r.getBoolean(2)) {
                problems.add("database: connected to " + options.jdbcUrl + ", but it has no domainevententry or "
                        + "merkle_leaf table (is it the command service's database?)");
            } else {
                try (ResultSet n = s.executeQuery("SELECT count(*), coalesce(max(globalindex), 0) FROM "
                        + "domainevententry")) {
                    n.next();
                    events = n.getLong(1);
                    head = n.getLong(2);
                }
            }
        } catch (SQLException e) {
            problems.add("database: cannot connect to " + options.jdbcUrl + " as " + options.dbUser + ": "
                    + firstLine(e.getMessage()));
        }
        if (!problems.isEmpty()) {
            throw new Fatal("the system is not reachable, the online measures were not taken:\n  - "
                    + String.join("\n  - ", problems)
                    + "\nStart it with `deploy/local.sh start`, point --command-url and --jdbc-url at it, or give "
                    + "--skip-online.");
        }
        OUT.printf(Locale.ROOT, "%npreflight        command service UP; the ledger holds %,d events (global sequence up "
                + "to %,d)%n", events, head);
        try {
            OUT.println("database server  " + db.serverSettings());
        } catch (SQLException e) {
            OUT.println("database server  (settings not readable: " + firstLine(e.getMessage()) + ")");
        }
    }

    // --- 2. sealing cost on the append path -----------------------------------------------------------------------

    private void sealing() throws Exception {
        OUT.printf(Locale.ROOT, "%n[sealing] insert transactions into %s, without (plain) and with (sealed) what "
                + "HashChain adds, alternating…%n", SealingCost.TABLE);
        OUT.println("[sealing] included in both: payload + metadata JSON serialization, INSERT of one "
                + "domainevententry-shaped row, COMMIT (one transaction per event, explicit, as in the command path)");
        OUT.println("[sealing] included in sealed only: SELECT of the previous event's metadata (same transaction; "
                + "events after an activity's first), its JSON parse, payload → tree, EventHash.of, two hashes more "
                + "in the metadata");
        OUT.println("[sealing] NOT included: HTTP, Axon's unit of work and aggregate loading, the Merkle checkpointer "
                + "(asynchronous: per event one merkle_leaf row, on average ~2 merkle_node rows and their lookups, in "
                + "its own transactions), signing tree heads (every 5 s), Kafka publishing");
        db.createTable(SealingCost.TABLE);
        tableCreated = true;
        SealingCost cost = new SealingCost(db, new AuditEvents(options.seed, runTag), options.chainLength,
                options.requestTimeoutSeconds);
        int warmupThreads = options.levels.get(0);
        cost.run(false, warmupThreads, SEAL_WARMUP_SECONDS, "AUDIT:" + runTag + "-wp");
        cost.run(true, warmupThreads, SEAL_WARMUP_SECONDS, "AUDIT:" + runTag + "-ws");
        OUT.printf(Locale.ROOT, "[sealing] warm-up: %d s plain + %d s sealed at %d thread(s), not recorded%n",
                SEAL_WARMUP_SECONDS, SEAL_WARMUP_SECONDS, warmupThreads);
        List<String> table = new ArrayList<>();
        for (int threads : options.levels) {
            cost.truncate();
            List<SealingCost.Result> plain = new ArrayList<>();
            List<SealingCost.Result> sealed = new ArrayList<>();
            for (int round = 1; round <= options.rounds; round++) {
                for (boolean seal : new boolean[] {false, true}) {
                    SealingCost.Result r = cost.run(seal, threads, options.seconds, "AUDIT:" + runTag + "-"
                            + (seal ? "s" : "p") + threads + "r" + round);
                    (seal ? sealed : plain).add(r);
                    Latencies.Summary l = r.times().summary();
                    OUT.printf(Locale.ROOT, "[sealing %d, round %d] %-6s %,7d inserts in %.1f s = %,8.1f/s; ms p50 %s "
                                    + "p95 %s p99 %s; errors %d%n", threads, round, seal ? "sealed" : "plain",
                            r.inserts(), r.seconds(), r.insertsPerSecond(), ms(l.p50()), ms(l.p95()), ms(l.p99()),
                            r.errors().total());
                }
            }
            SealingCost.Result p = SealingCost.Result.merge(plain);
            SealingCost.Result s = SealingCost.Result.merge(sealed);
            for (SealingCost.Result r : List.of(p, s)) {
                if (r.errors().total() > 0) {
                    OUT.println(indent(describe(r.errors())));
                }
            }
            Latencies.Summary pl = p.times().summary();
            Latencies.Summary sl = s.times().summary();
            Latencies.Summary linked = s.linkedTimes().summary();
            double ratio = p.insertsPerSecond() > 0 ? s.insertsPerSecond() / p.insertsPerSecond() : Double.NaN;
            double linkedShare = s.inserts() > 0 ? (double) s.linkedTimes().size() / s.inserts() : Double.NaN;
            OUT.printf(Locale.ROOT, "[sealing %d] plain %,.1f/s (p50 %s, p99 %s ms), sealed %,.1f/s (p50 %s, p99 %s ms): "
                            + "sealed ÷ plain = %.3f, i.e. %.1f %% fewer inserts/s; p50 +%s ms; sealed events that read a "
                            + "predecessor (%.0f %%): p50 %s, p99 %s ms%n", threads, p.insertsPerSecond(), ms(pl.p50()),
                    ms(pl.p99()), s.insertsPerSecond(), ms(sl.p50()), ms(sl.p99()), ratio, 100 * (1 - ratio),
                    ms(sl.p50() - pl.p50()), 100 * linkedShare, ms(linked.p50()), ms(linked.p99()));
            table.add(String.format(Locale.ROOT, "%6d | %10.1f | %-20s | %10.1f | %-20s | %-14s | %6.3f | %5.1f %%",
                    threads, p.insertsPerSecond(), triple(pl), s.insertsPerSecond(), triple(sl),
                    ms(linked.p50()) + " / " + ms(linked.p99()), ratio, 100 * (1 - ratio)));
            StringBuilder b = line("audit-seal");
            kv(b, "level", threads);
            kv(b, "rounds", options.rounds);
            kv(b, "chain_length", options.chainLength);
            kv(b, "plain_seconds", num(p.seconds()));
            kv(b, "plain_inserts", p.inserts());
            kv(b, "plain_per_s", num(p.insertsPerSecond()));
            kv(b, "plain_p50_ms", num(pl.p50()));
            kv(b, "plain_p95_ms", num(pl.p95()));
            kv(b, "plain_p99_ms", num(pl.p99()));
            kv(b, "plain_errors", p.errors().total());
            kv(b, "sealed_seconds", num(s.seconds()));
            kv(b, "sealed_inserts", s.inserts());
            kv(b, "sealed_per_s", num(s.insertsPerSecond()));
            kv(b, "sealed_p50_ms", num(sl.p50()));
            kv(b, "sealed_p95_ms", num(sl.p95()));
            kv(b, "sealed_p99_ms", num(sl.p99()));
            kv(b, "sealed_errors", s.errors().total());
            kv(b, "sealed_with_select_share", num(linkedShare));
            kv(b, "sealed_with_select_p50_ms", num(linked.p50()));
            kv(b, "sealed_with_select_p99_ms", num(linked.p99()));
            kv(b, "plain_payload_bytes", Math.round(p.meanPayload()));
            kv(b, "plain_metadata_bytes", Math.round(p.meanMetadata()));
            kv(b, "sealed_metadata_bytes", Math.round(s.meanMetadata()));
            kv(b, "ratio", num(ratio));
            kv(b, "cost_percent", num(100 * (1 - ratio)));
            lines.add(b.toString());
            if (threads == options.levels.get(0)) {
                OUT.printf(Locale.ROOT, "[sealing] row sizes: payload %.0f bytes, metadata %.0f bytes plain, %.0f "
                        + "sealed%n", p.meanPayload(), p.meanMetadata(), s.meanMetadata());
            }
        }
        dropTable();
        summary.add("sealing   insert transactions/s into a copy of domainevententry, without and with HashChain's "
                + "work (SELECT previous + parse + EventHash + bigger metadata), alternating, same run:");
        String head = String.format(Locale.ROOT, "%6s | %10s | %-20s | %10s | %-20s | %-14s | %6s | %s", "level",
                "plain/s", "p50 / p95 / p99 ms", "sealed/s", "p50 / p95 / p99 ms", "w/ SELECT p50/99", "ratio",
                "cost");
        summary.add(head);
        summary.add("-".repeat(head.length()));
        summary.addAll(table);
    }

    // --- 3. export --------------------------------------------------------------------------------------------------

    private void export() throws Fatal, InterruptedException, IOException {
        OUT.printf(Locale.ROOT, "%n[export] GET /api/audit/export, streamed whole (the ndjson one is written to a file, "
                + "as `curl > ledger.ndjson` would, then verified)…%n");
        Path saved = workDir.resolve("live-export.ndjson");
        created.add(saved);
        for (String format : List.of("ndjson", "csv")) {
            long start = System.nanoTime();
            long firstByte = -1;
            long bytes = 0;
            long newlines = 0;
            int status;
            String error = null;
            try {
                HttpResponse<InputStream> response = http.commandStream("/api/audit/export?format=" + format);
                status = response.statusCode();
                try (InputStream in = response.body();
                     OutputStream file = format.equals("ndjson") && status == 200
                             ? new java.io.BufferedOutputStream(Files.newOutputStream(saved), 1 << 20)
                             : OutputStream.nullOutputStream()) {
                    byte[] buffer = new byte[1 << 16];
                    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                        if (firstByte < 0 && n > 0) {
                            firstByte = System.nanoTime();
                        }
                        for (int i = 0; i < n; i++) {
                            if (buffer[i] == '\n') {
                                newlines++;
                            }
                        }
                        bytes += n;
                        file.write(buffer, 0, n);
                    }
                }
            } catch (java.net.ConnectException e) {
                throw new Fatal("the command service stopped answering during the export: " + e);
            } catch (IOException e) {
                status = -1;
                error = e.toString();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long events = format.equals("csv") ? Math.max(0, newlines - 1) : newlines; // csv: a header line
            boolean ok = status == 200 && error == null;
            OUT.printf(Locale.ROOT, "[export] %-6s %s: %,d events, %s in %.1f s = %,.0f events/s, %.1f MB/s; first "
                            + "byte after %s ms%n", format, ok ? "200" : "FAILED (" + (error != null ? error
                            : "status " + status) + ")", events, size(bytes), seconds, events / seconds,
                    bytes / MB / seconds, ms(firstByte < 0 ? Double.NaN : (firstByte - start) / 1e6));
            StringBuilder b = line("audit-export");
            kv(b, "format", format);
            kv(b, "ok", ok);
            kv(b, "events", events);
            kv(b, "bytes", bytes);
            kv(b, "seconds", num(seconds));
            kv(b, "events_per_s", num(events / seconds));
            kv(b, "mb_per_s", num(bytes / MB / seconds));
            kv(b, "first_byte_ms", num(firstByte < 0 ? Double.NaN : (firstByte - start) / 1e6));
            lines.add(b.toString());
            summary.add(String.format(Locale.ROOT, "export    %-6s %,d events, %s: %.1f s = %,.0f events/s, %.1f MB/s%s",
                    format, events, size(bytes), seconds, events / seconds, bytes / MB / seconds,
                    ok ? "" : " (FAILED)"));
            if (format.equals("ndjson") && ok) {
                verifyLiveExport(saved, events);
            }
        }
        Files.deleteIfExists(saved);
    }

    /** The standalone verifier on what the system exported, with its own checkpoints and key. */
    private void verifyLiveExport(Path export, long events) throws InterruptedException, IOException {
        LedgerHttp.Raw checkpoints = http.command("/api/audit/checkpoints");
        LedgerHttp.Raw key = http.command("/api/audit/public-key");
        if (checkpoints.status() != 200 || key.status() != 200) {
            OUT.printf("[export] verifier on the live export skipped: checkpoints %d, public key %d%n",
                    checkpoints.status(), key.status());
            return;
        }
        long start = System.nanoTime();
        LedgerVerifier.Result result = LedgerVerifier.verify(export, AuditEvents.JSON.readTree(checkpoints.body()),
                AuditEvents.JSON.readTree(key.body()));
        double seconds = (System.nanoTime() - start) / 1e9;
        OUT.printf(Locale.ROOT, "[export] verifier on the live export: %s \"%s\" in %.1f s = %,.0f events/s%n",
                result.ok() ? "ok" : "NOT OK", result.message(), seconds, events / seconds);
        StringBuilder b = line("audit-export-verify");
        kv(b, "events", events);
        kv(b, "seconds", num(seconds));
        kv(b, "events_per_s", num(events / seconds));
        kv(b, "ok", result.ok());
        lines.add(b.toString());
        summary.add(String.format(Locale.ROOT, "          the live NDJSON export verified by LedgerVerifier: %s in "
                + "%.1f s (%s)", result.ok() ? "ok" : "NOT OK", seconds, result.message()));
    }

    // --- 4. inclusion proofs ----------------------------------------------------------------------------------------

    private record Pick(long treeIndex, String eventId, long globalSequence, String eventHash) {
    }

    private void proofs() throws Fatal, InterruptedException {
        OUT.printf(Locale.ROOT, "%n[proofs] inclusion proofs against the latest signed tree head…%n");
        JsonNode head;
        PublicKey key;
        try {
            LedgerHttp.Raw latest = http.command("/api/audit/checkpoints/latest");
            LedgerHttp.Raw publicKey = http.command("/api/audit/public-key");
            if (latest.status() != 200 || publicKey.status() != 200) {
                OUT.printf("[proofs] skipped: /api/audit/checkpoints/latest answered %d, /api/audit/public-key %d%n",
                        latest.status(), publicKey.status());
                return;
            }
            head = AuditEvents.JSON.readTree(latest.body());
            key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(Base64.getDecoder()
                    .decode(AuditEvents.JSON.readTree(publicKey.body()).path("publicKey").asText())));
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new Fatal("reading the latest signed tree head or the public key failed: " + e);
        }
        long treeSize = head.path("treeSize").asLong();
        byte[] root = HexFormat.of().parseHex(head.path("rootHash").asText());
        boolean signed = signatureHolds(key, head);
        List<Pick> picks = picks(treeSize);
        long stored = storedEvents();
        OUT.printf(Locale.ROOT, "[proofs] signed head: tree size %,d, root %s…, signed at %s, signature %s%n", treeSize,
                head.path("rootHash").asText().substring(0, 16), head.path("timestamp").asText(),
                signed ? "holds" : "DOES NOT HOLD");
        if (stored > treeSize) {
            OUT.printf(Locale.ROOT, "[proofs] NOTE: the signed tree covers %,d of the %,d stored events (%.2f %%): only "
                            + "events in it can be proved; the Merkle checkpointer is behind the store%n", treeSize,
                    stored, 100.0 * treeSize / stored);
        }
        if (picks.isEmpty()) {
            OUT.println("[proofs] skipped: no event of the signed tree found in merkle_leaf");
            return;
        }
        OUT.printf(Locale.ROOT, "[proofs] %,d distinct events spread over tree indexes 0–%,d%s; audit path %d hashes%n",
                picks.size(), treeSize - 1, picks.size() < options.proofs ? " (fewer than " + options.proofs
                        + ": the tree has only " + treeSize + " leaves, each is asked for in turn)" : "",
                64 - Long.numberOfLeadingZeros(Math.max(1, treeSize - 1)));
        for (int i = 0; i < options.proofWarmups; i++) {
            try {
                inclusion(picks.get(i % picks.size()).eventId(), treeSize);
            } catch (IOException e) {
                throw new Fatal("the inclusion proof endpoint failed during the warm-up: " + e);
            }
        }
        Latencies times = new Latencies();
        Errors errors = new Errors();
        Errors failures = new Errors();
        for (int i = 0; i < options.proofs; i++) {
            Pick pick = picks.get(i % picks.size());
            long start = System.nanoTime();
            LedgerHttp.Raw reply;
            try {
                reply = inclusion(pick.eventId(), treeSize);
            } catch (IOException e) {
                errors.record("proof " + e.getClass().getSimpleName(), e.getMessage());
                if (e instanceof java.net.ConnectException) {
                    throw new Fatal("the command service stopped answering during the proofs: " + e);
                }
                continue;
            }
            long elapsed = System.nanoTime() - start;
            if (reply.status() != 200) {
                errors.record("proof " + reply.status(), new String(reply.body(), StandardCharsets.UTF_8));
                continue;
            }
            times.add(elapsed);
            String problem = checkProof(reply.body(), pick, treeSize, root);
            if (problem != null) {
                failures.record(problem, "event " + pick.eventId() + " at tree index " + pick.treeIndex());
            }
        }
        Latencies.Summary l = times.summary();
        OUT.printf(Locale.ROOT, "[proofs] %d proofs: ms p50 %s p95 %s p99 %s max %s; verified against the signed root: "
                        + "%d ok, %d FAILED; %d errors%n", l.count(), ms(l.p50()), ms(l.p95()), ms(l.p99()),
                ms(l.max()), l.count() - failures.total(), failures.total(), errors.total());
        if (failures.total() > 0) {
            OUT.println(indent(describe(failures)));
        }
        if (errors.total() > 0) {
            OUT.println(indent(describe(errors)));
        }
        StringBuilder b = line("audit-proof");
        kv(b, "tree_size", treeSize);
        kv(b, "stored_events", stored);
        kv(b, "distinct_events", picks.size());
        kv(b, "calls", l.count());
        kv(b, "p50_ms", num(l.p50()));
        kv(b, "p95_ms", num(l.p95()));
        kv(b, "p99_ms", num(l.p99()));
        kv(b, "max_ms", num(l.max()));
        kv(b, "verify_failures", failures.total());
        kv(b, "errors", errors.total());
        kv(b, "head_signature_ok", signed);
        lines.add(b.toString());
        summary.add(String.format(Locale.ROOT, "proofs    %d inclusion proofs in a signed tree of %,d (ledger: %,d "
                        + "events): p50 / p95 / p99 %s ms; %d failed verification, %d errors; head signature %s",
                l.count(), treeSize, stored, triple(l), failures.total(), errors.total(),
                signed ? "holds" : "DOES NOT HOLD"));
    }

    private LedgerHttp.Raw inclusion(String eventId, long treeSize) throws IOException, InterruptedException {
        return http.command("/api/audit/proofs/inclusion?eventId="
                + java.net.URLEncoder.encode(eventId, StandardCharsets.UTF_8) + "&treeSize=" + treeSize);
    }

    /**
     * What an auditor checks: the proof is for this event at its place, its event hash is the event's own seal, the
     * leaf hash is recomputed from them, and the audit path leads to the root the signed head vouches for.
     */
    private static String checkProof(byte[] body, Pick pick, long treeSize, byte[] root) {
        try {
            JsonNode proof = AuditEvents.JSON.readTree(body);
            if (!pick.eventId().equals(proof.path("eventId").asText()) || proof.path("treeSize").asLong() != treeSize
                    || proof.path("leafIndex").asLong() != pick.treeIndex()
                    || proof.path("globalSequence").asLong() != pick.globalSequence()) {
                return "the proof is for another event, place or tree size";
            }
            if (!proof.path("eventHash").asText().equals(pick.eventHash())) {
                return "the proof's event hash is not the event's seal";
            }
            byte[] leaf = Merkle.leafHash(Checkpoints.leafData(pick.globalSequence(), pick.eventId(),
                    pick.eventHash()));
            if (!HexFormat.of().formatHex(leaf).equals(proof.path("leafHash").asText())) {
                return "the proof's leaf hash is not the recomputed one";
            }
            List<byte[]> path = new ArrayList<>();
            proof.path("auditPath").forEach(node -> path.add(HexFormat.of().parseHex(node.asText())));
            return Merkle.verifyInclusion(pick.treeIndex(), treeSize, leaf, path, root) ? null
                    : "the audit path does not lead to the signed root";
        } catch (IOException | IllegalArgumentException e) {
            return "unreadable proof: " + e.getMessage();
        }
    }

    private static boolean signatureHolds(PublicKey key, JsonNode head) {
        return Checkpoints.signatureHolds(key, head);
    }

    /** Up to --proofs events at tree indexes spread evenly over the signed tree, with their own seal. */
    private List<Pick> picks(long treeSize) throws Fatal {
        Set<Long> indexes = new java.util.TreeSet<>();
        for (int k = 0; k < options.proofs; k++) {
            indexes.add(Math.min(treeSize - 1, (long) ((k + 0.5) * treeSize / options.proofs)));
        }
        List<Pick> picks = new ArrayList<>();
        try (Connection c = db.connect();
             PreparedStatement s = c.prepareStatement("SELECT l.tree_index, l.event_id, l.global_sequence, "
                     + "e.metadata FROM merkle_leaf l JOIN domainevententry e ON e.globalindex = l.global_sequence "
                     + "WHERE l.tree_index = ANY (?) ORDER BY l.tree_index")) {
            Array array = c.createArrayOf("bigint", indexes.toArray());
            s.setArray(1, array);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    byte[] metadata = r.getBytes(4);
                    String hash = metadata == null ? "" : AuditEvents.JSON.readTree(metadata).path("hash").asText("");
                    picks.add(new Pick(r.getLong(1), r.getString(2), r.getLong(3), hash));
                }
            }
        } catch (SQLException | IOException e) {
            throw new Fatal("reading the events to prove from " + options.jdbcUrl + " failed: " + e.getMessage());
        }
        return picks;
    }

    private long storedEvents() {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM domainevententry")) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            return -1;
        }
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    private StringBuilder line(String name) {
        return new StringBuilder("BENCHMARK name=").append(name).append(" run=").append(runTag);
    }

    private static String size(long bytes) {
        return bytes >= 1024L * 1024 * 1024 ? Report.gib(bytes)
                : String.format(Locale.ROOT, "%.1f MiB", bytes / MB);
    }

    private void dropTable() {
        if (!tableCreated) {
            return;
        }
        try {
            db.dropTable(SealingCost.TABLE);
            tableCreated = false;
        } catch (SQLException e) {
            System.err.println("audit benchmark: could not drop " + SealingCost.TABLE + ": " + e.getMessage());
        }
    }

    /** Drops the scratch table and deletes the files written; at the end, and on Ctrl-C. */
    private synchronized void cleanUp() {
        dropTable();
        for (Path file : created) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                System.err.println("audit benchmark: could not delete " + file + ": " + e.getMessage());
            }
        }
        created.clear();
        if (ownWorkDir && workDir != null) {
            try {
                Files.deleteIfExists(workDir);
            } catch (IOException e) {
                System.err.println("audit benchmark: could not delete " + workDir + ": " + e.getMessage());
            }
        }
    }
}
