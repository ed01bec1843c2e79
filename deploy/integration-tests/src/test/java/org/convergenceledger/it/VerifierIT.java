package org.convergenceledger.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The auditor's side: download the export, the signed tree heads and the public key, and run the standalone verifier
 * jar (built by shared-events) on them in a separate JVM, as an auditor would on their own machine.
 */
class VerifierIT extends OnTheLedger {

    private static final Path VERIFIER = Path.of("../../shared-events/target/shared-events-0.1.0-SNAPSHOT-verifier.jar");

    @Test
    void anAuditorVerifiesTheWholeLedgerWithTheStandaloneJar(@TempDir Path auditor) throws Exception {
        long treeSize = awaitEverythingCheckpointed();

        Download files = download(auditor);
        Run run = verifier(files);

        long events = store.queryForObject("SELECT count(*) FROM domainevententry", Long.class);
        assertThat(run.output()).isEqualTo("verified " + events + " events up to tree size " + treeSize);
        assertThat(run.exitCode()).isZero();
    }

    @Test
    void theVerifierNamesTheFirstEventThatWasChanged(@TempDir Path auditor) throws Exception {
        String id = Ledger.newActivityId("ANAPEC", "AUDITED");
        assertThat(Ledger.propose(system, id, "ANAPEC").status()).isEqualTo(201);
        Ledger.awaitSettled(system, id);
        awaitEverythingCheckpointed();
        Map<String, Object> proposal = store.queryForMap(
                "SELECT globalindex, payload FROM domainevententry WHERE aggregateidentifier = ?", id);
        store.update("UPDATE domainevententry SET payload = convert_to(replace(convert_from(payload, 'UTF8'), "
                + "'Dual training', 'Dual-training'), 'UTF8') WHERE globalindex = ?", proposal.get("globalindex"));
        try {
            Run run = verifier(download(auditor));

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.output()).startsWith("FAILED at global sequence " + proposal.get("globalindex"))
                    .contains(id).contains("content does not match its hash");
        } finally {
            store.update("UPDATE domainevententry SET payload = ? WHERE globalindex = ?", proposal.get("payload"),
                    proposal.get("globalindex"));
        }
    }

    @Test
    void anExportWithItsLastEventsCutOffFailsNamingTheHeadItNoLongerCovers(@TempDir Path auditor) throws Exception {
        String id = Ledger.newActivityId("ANAPEC", "TRUNCATED");
        assertThat(Ledger.propose(system, id, "ANAPEC").status()).isEqualTo(201);
        Ledger.awaitSettled(system, id);
        long treeSize = awaitEverythingCheckpointed();
        Download files = download(auditor);
        List<String> lines = Files.readAllLines(files.export(), StandardCharsets.UTF_8);
        Files.write(files.export(), lines.subList(0, lines.size() - 1), StandardCharsets.UTF_8);

        Run run = verifier(files);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.output()).startsWith("FAILED at signed tree head " + treeSize)
                .contains("the export's tree ends at " + (treeSize - 1));
    }

    @Test
    void aHeadSavedOnOneVisitIsCheckedOnTheNext(@TempDir Path auditor) throws Exception {
        long firstSize = awaitEverythingCheckpointed();
        Path saved = auditor.resolve("saved-head.json");
        Run first = verifier(download(auditor.resolve("visit-1")), "--save-head", saved.toString());
        assertThat(first.exitCode()).as(first.output()).isZero();
        assertThat(first.output()).contains("saved the head of size " + firstSize);

        String id = Ledger.newActivityId("ANAPEC", "REVISIT");
        assertThat(Ledger.propose(system, id, "ANAPEC").status()).isEqualTo(201);
        Ledger.awaitSettled(system, id);
        long secondSize = awaitEverythingCheckpointed();
        Run second = verifier(download(auditor.resolve("visit-2")), "--trusted-head", saved.toString());

        assertThat(second.exitCode()).as(second.output()).isZero();
        assertThat(second.output()).startsWith("verified ").contains("up to tree size " + secondSize
                + ", consistent with the head you saved (size " + firstSize + ")");
    }

    @Test
    void theExportIsAlsoAvailableAsCsvAndByPage() {
        Http.Response csv = Ledger.auditor(system).get(system.commandUrl() + "/api/audit/export?format=csv");
        Http.Response page = Ledger.auditor(system).get(system.commandUrl() + "/api/audit/events?afterSequence=0&limit=5");
        Http.Response agency = Ledger.auditor(system).get(system.commandUrl() + "/api/audit/agencies/CNSS/history");

        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.raw().body().lines().findFirst().orElseThrow()).startsWith("globalSequence,treeIndex,eventId");
        assertThat(csv.raw().body().lines().count() - 1)
                .isEqualTo(store.queryForObject("SELECT count(*) FROM domainevententry", Long.class));
        assertThat(page.json().path("events")).hasSize(5);
        assertThat(page.json().path("events").get(0).path("hash").asText()).hasSize(64);
        assertThat(agency.json().path("events").findValuesAsText("aggregateId"))
                .contains("agency:CNSS", "CNSS:GEN-CAS-2024");
        assertThat(Ledger.auditor(system).get(system.commandUrl() + "/api/audit/export?format=xml").status()).isEqualTo(400);
    }

    @Test
    void aCsvCellASpreadsheetWouldReadAsAFormulaIsNeutralised() {
        String id = Ledger.newActivityId("ANAPEC", "FORMULA");
        // The only free text an agency puts in a cell of its own (the rest is JSON, codes or dates).
        String key = "-2-" + id.replace(":", "-");
        Http.Response proposed = Ledger.post(system, system.commandUrl() + "/api/activities",
                Ledger.proposal(id, "ANAPEC"), "Idempotency-Key", key);
        assertThat(proposed.status()).as(proposed.raw().body()).isEqualTo(201);

        String line = Ledger.auditor(system).get(system.commandUrl() + "/api/audit/export?format=csv").raw().body()
                .lines().filter(row -> row.contains(key)).findFirst().orElseThrow();

        assertThat(line).contains(",'" + key).doesNotContain("," + key);
        assertThat(Ledger.auditor(system).get(system.commandUrl() + "/api/audit/export?format=ndjson").raw().body())
                .contains("\"idempotencyKey\":\"" + key + "\"");
    }

    record Download(Path export, Path checkpoints, Path publicKey) {
    }

    record Run(int exitCode, String output) {
    }

    static Download download(Path dir) throws IOException {
        Files.createDirectories(dir);
        Download files = new Download(dir.resolve("ledger.ndjson"), dir.resolve("checkpoints.json"),
                dir.resolve("public-key.json"));
        // Heads first: the export then covers every head (a head beyond the export's end fails verification).
        Files.writeString(files.checkpoints(), Http.get(system.commandUrl() + "/api/audit/checkpoints").raw().body());
        Files.writeString(files.publicKey(), Http.get(system.commandUrl() + "/api/audit/public-key").raw().body());
        Files.writeString(files.export(), Ledger.auditor(system).get(system.commandUrl() + "/api/audit/export?format=ndjson").raw()
                .body(), StandardCharsets.UTF_8);
        return files;
    }

    static Run verifier(Download files, String... options) throws Exception {
        assertThat(VERIFIER).as("shared-events' verifier jar (mvn package builds it)").exists();
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", VERIFIER.toString(),
                files.export().toString(), files.checkpoints().toString(), files.publicKey().toString()));
        command.addAll(List.of(options));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return new Run(process.exitValue(), output);
    }

    /** Waits until a signed tree head covers every stored event, and returns its size. */
    static long awaitEverythingCheckpointed() {
        return await().atMost(Duration.ofSeconds(30)).until(() -> {
            long events = store.queryForObject("SELECT count(*) FROM domainevententry", Long.class);
            JsonNode latest = Http.get(system.commandUrl() + "/api/audit/checkpoints/latest").json();
            long size = latest.path("treeSize").asLong();
            return size == events ? size : -1;
        }, size -> size > 0);
    }
}
