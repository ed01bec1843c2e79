package org.convergenceledger.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.convergenceledger.events.verify.LedgerVerifier;

/**
 * The auditable history of a RUNNING ledger as an auditor checks it: GET /api/audit/export as CSV, then as NDJSON,
 * each read whole (events ÷ seconds from request to last byte); the auditor's verifier (LedgerVerifier, in this JVM)
 * on that NDJSON with the checkpoints and public key fetched before it (events and MiB ÷ its seconds), then on it with
 * one payload letter's case flipped two thirds in (seconds until it failed; whether it named that event).
 */
public final class AuditBenchmark {

    public static void main(String[] args) {
        Launch.main("audit benchmark", args, new Options(AuditBenchmark.class, "The export of a RUNNING ledger and the "
                + "auditor's verifier on it, then on it with one byte flipped.\n").system(), AuditBenchmark::run);
    }

    private static void run(Options options) throws Exception {
        Ledger ledger = new Ledger(options.url("command-url"), "", options.positive("request-timeout-seconds"));
        System.out.printf("== Convergence Ledger: audit benchmark ==%nmachine          %s%n", Report.machine());
        JsonNode checkpoints = ledger.read(ledger.commandUrl + "/api/audit/checkpoints", null);
        JsonNode publicKey = ledger.read(ledger.commandUrl + "/api/audit/public-key", null);
        Report.Lines lines = new Report.Lines();
        String run = Report.runTag();
        List<String> records = List.of();
        for (String format : List.of("csv", "ndjson")) {
            long start = System.nanoTime();
            Ledger.Reply reply = ledger.get(ledger.commandUrl + "/api/audit/export?format=" + format,
                    ledger.key("AUDITOR"));
            double seconds = (System.nanoTime() - start) / 1e9;
            if (reply.status() != 200) {
                throw new Fatal("GET " + ledger.commandUrl + "/api/audit/export answered " + reply.status());
            }
            records = reply.text().lines().skip(format.equals("csv") ? 1 : 0).toList(); // csv: a header line
            lines.add(new Report.Line("audit-export", run).kv("format", format).kv("status", reply.status())
                    .kv("events", records.size()).kv("bytes", reply.body().length).kv("seconds", seconds)
                    .kv("events_per_s", records.size() / seconds).kv("mb_per_s", reply.body().length / 1048576.0
                            / seconds));
        }
        String event = records.get(records.size() * 2 / 3); // its payload's first letter changes case: still JSON
        String flipped = Pattern.compile("(\"payload\":\\{\"[^\"]*\":\"[^A-Za-z\"]*)([A-Za-z])").matcher(event)
                .replaceFirst(m -> "$1" + (char) (m.group(2).charAt(0) ^ 0x20));
        List<String> tampered = records.stream().map(r -> r == event ? flipped : r).toList();
        Path export = Files.createTempFile("audit-export-", ".ndjson");
        try {
            for (List<String> file : List.of(records, tampered)) {
                byte[] bytes = (String.join("\n", file) + "\n").getBytes(StandardCharsets.UTF_8);
                Files.write(export, bytes);
                long start = System.nanoTime();
                LedgerVerifier.Result result = LedgerVerifier.verify(export, checkpoints, publicKey);
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.println("verifier         " + result.message());
                lines.add(new Report.Line(file == records ? "audit-verify" : "audit-tamper", run).kv("events",
                        file.size()).kv("seconds", seconds).kv("events_per_s", file.size() / seconds).kv("mb_per_s",
                        bytes.length / 1048576.0 / seconds).kv("ok", result.ok()).kv("names_event", file == tampered
                        && result.message().contains(Ledger.JSON.readTree(event).path("eventId").asText())));
            }
        } finally {
            Files.delete(export);
        }
        lines.print(List.of());
    }
}
