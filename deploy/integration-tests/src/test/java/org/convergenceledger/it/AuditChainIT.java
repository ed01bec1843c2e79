package org.convergenceledger.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.convergenceledger.events.canonical.Merkle;
import org.convergenceledger.events.canonical.Checkpoints;
import org.convergenceledger.events.canonical.Ed25519;
import org.junit.jupiter.api.Test;

/**
 * Tamper evidence of the event store: someone with write access to PostgreSQL changes, removes or reorders events,
 * and GET /api/audit/verification says which event and what. Each test restores what it damaged.
 */
class AuditChainIT extends OnTheLedger {

    @Test
    void anUntouchedStoreVerifiesWhole() {
        awaitCheckpointed(event(startedActivity(), 2));
        JsonNode report = verification();

        assertThat(report.path("failures")).isEmpty();
        assertThat(report.path("intact").asBoolean()).isTrue();
        assertThat(report.path("eventsChecked").asLong())
                .isEqualTo(store.queryForObject("SELECT count(*) FROM domainevententry", Long.class));
        assertThat(report.path("leavesChecked").asLong()).isPositive();
        assertThat(report.path("treeHeadsChecked").asLong()).isPositive();
    }

    /**
     * Concurrent writers commit global indexes out of order; an event that fills such a gap must still be known by
     * its own position everywhere: in the tree, on Kafka, in the query side's history.
     */
    @Test
    void concurrentWritersEventsKeepTheirOwnGlobalPositions() throws Exception {
        ExecutorService writers = Executors.newFixedThreadPool(16);
        List<Future<String>> proposals = new ArrayList<>();
        try {
            for (int i = 0; i < 48; i++) {
                proposals.add(writers.submit(() -> {
                    String id = Ledger.newActivityId("GIZ", "RACE");
                    assertThat(Ledger.propose(system, id, "GIZ").status()).isEqualTo(201);
                    return id;
                }));
            }
            for (Future<String> proposal : proposals) {
                proposal.get(60, TimeUnit.SECONDS);
            }
        } finally {
            writers.shutdownNow();
        }
        Map<String, Object> last = store.queryForMap("SELECT * FROM domainevententry ORDER BY globalindex DESC LIMIT 1");
        awaitCheckpointed(last);

        assertThat(store.queryForObject("SELECT count(*) FROM merkle_leaf l JOIN domainevententry e "
                + "ON e.eventidentifier = l.event_id WHERE e.globalindex <> l.global_sequence", Long.class)).isZero();
        assertThat(store.queryForObject("SELECT count(*) FROM domainevententry e WHERE NOT EXISTS "
                + "(SELECT 1 FROM merkle_leaf l WHERE l.event_id = e.eventidentifier)", Long.class)).isZero();
        for (Future<String> proposal : proposals) {
            String id = proposal.get();
            long stored = store.queryForObject("SELECT globalindex FROM domainevententry WHERE aggregateidentifier = ?",
                    Long.class, id);
            JsonNode history = await().atMost(Duration.ofSeconds(30)).until(
                    () -> Ledger.auditor(system).get(system.queryUrl() + "/api/audit/activities/" + id + "/history"),
                    response -> response.status() == 200).json();
            assertThat(history.path("events").get(0).path("globalSequence").asLong()).as(id).isEqualTo(stored);
        }
        assertThat(verification().path("intact").asBoolean()).isTrue();
    }

    @Test
    void anEventIsProvenInASignedTreeHeadWithNothingButThePublicKey() throws Exception {
        Map<String, Object> start = event(startedActivity(), 2);
        JsonNode head = awaitCheckpointed(start);
        JsonNode key = Http.get(system.commandUrl() + "/api/audit/public-key").json();

        JsonNode proof = Http.get(system.commandUrl() + "/api/audit/proofs/inclusion?eventId="
                + start.get("eventidentifier") + "&treeSize=" + head.path("treeSize").asLong()).json();

        assertThat(signatureHolds(key, head)).isTrue();
        byte[] leafHash = Merkle.leafHash(canonicalLeaf(proof));
        assertThat(HexFormat.of().formatHex(leafHash)).isEqualTo(proof.path("leafHash").asText());
        assertThat(Merkle.verifyInclusion(proof.path("leafIndex").asLong(), head.path("treeSize").asLong(), leafHash,
                hashes(proof.path("auditPath")), HexFormat.of().parseHex(head.path("rootHash").asText()))).isTrue();
        assertThat(proof.path("globalSequence").asLong()).isEqualTo((Long) start.get("globalindex"));
    }

    @Test
    void aLaterTreeHeadIsProvenToExtendAnEarlierOne() {
        JsonNode first = awaitCheckpointed(event(startedActivity(), 2));
        JsonNode second = awaitCheckpointed(event(startedActivity(), 2));
        long from = first.path("treeSize").asLong();
        long to = second.path("treeSize").asLong();

        JsonNode proof = Http.get(system.commandUrl() + "/api/audit/proofs/consistency?from=" + from + "&to=" + to)
                .json();

        assertThat(to).isGreaterThan(from);
        assertThat(Merkle.verifyConsistency(from, to, HexFormat.of().parseHex(first.path("rootHash").asText()),
                HexFormat.of().parseHex(second.path("rootHash").asText()), hashes(proof.path("proof")))).isTrue();
    }

    @Test
    void aRewrittenTreeHeadIsReported() {
        JsonNode head = awaitCheckpointed(event(startedActivity(), 2));
        long size = head.path("treeSize").asLong();
        String root = head.path("rootHash").asText();
        store.update("UPDATE tree_head SET root_hash = ? WHERE tree_size = ?", "f".repeat(64), size);
        try {
            JsonNode report = verification();

            assertThat(report.path("intact").asBoolean()).isFalse();
            assertThat(report.path("failures").findValuesAsText("reason"))
                    .anyMatch(reason -> reason.startsWith("signed tree head " + size + ": its signature does not match its content"));
        } finally {
            store.update("UPDATE tree_head SET root_hash = ? WHERE tree_size = ?", root, size);
        }
    }

    @Test
    void eventsOfTwoActivitiesSwappedInTheGlobalOrderAreReportedByTheTree() {
        Map<String, Object> first = event(startedActivity(), 2);
        Map<String, Object> second = event(startedActivity(), 2);
        awaitCheckpointed(second);
        awaitCheckpointed(first);
        moveRow(first, second);
        try {
            JsonNode report = verification();

            assertThat(report.path("intact").asBoolean()).isFalse();
            assertThat(report.path("failures").findValuesAsText("reason"))
                    .anyMatch(reason -> reason.contains("replaced or reordered"));
            assertThat(report.path("failures").findValuesAsText("globalSequence"))
                    .contains(first.get("globalindex").toString(), second.get("globalindex").toString());
        } finally {
            restoreRow(first, second);
        }
        assertThat(verification().path("intact").asBoolean()).isTrue();
    }

    @Test
    void aChangedPayloadByteIsReportedAtThatEvent() {
        String id = startedActivity();
        Map<String, Object> commit = event(id, 1);
        byte[] original = (byte[]) commit.get("payload");
        try {
            store.update("UPDATE domainevententry SET payload = convert_to(replace(convert_from(payload, 'UTF8'), "
                    + "'1200000.00', '9200000.00'), 'UTF8') WHERE globalindex = ?", commit.get("globalindex"));

            JsonNode failure = onlyFailure(verification());

            assertThat(failure.path("globalSequence").asLong()).isEqualTo((Long) commit.get("globalindex"));
            assertThat(failure.path("aggregateId").asText()).isEqualTo(id);
            assertThat(failure.path("reason").asText()).contains("content no longer matches its hash");
        } finally {
            store.update("UPDATE domainevententry SET payload = ? WHERE globalindex = ?", original,
                    commit.get("globalindex"));
        }
        assertThat(verification().path("intact").asBoolean()).isTrue();
    }

    @Test
    void aDeletedEventIsReportedByItsActivityAndByTheTree() {
        String id = startedActivity();
        Map<String, Object> commit = event(id, 1);
        Map<String, Object> start = event(id, 2);
        awaitCheckpointed(start);
        store.update("DELETE FROM domainevententry WHERE globalindex = ?", commit.get("globalindex"));
        try {
            JsonNode report = verification();

            assertThat(report.path("intact").asBoolean()).isFalse();
            assertThat(report.path("failures")).hasSize(2);
            assertThat(report.path("failures").get(0).path("globalSequence").asLong())
                    .isEqualTo((Long) start.get("globalindex"));
            assertThat(report.path("failures").get(0).path("reason").asText())
                    .contains("events 1 to 1 of " + id + " are missing");
            assertThat(report.path("failures").get(1).path("globalSequence").asLong())
                    .isEqualTo((Long) commit.get("globalindex"));
            assertThat(report.path("failures").get(1).path("reason").asText()).contains("removed");
        } finally {
            store.update("INSERT INTO domainevententry (globalindex, aggregateidentifier, sequencenumber, type, "
                            + "eventidentifier, metadata, payload, payloadrevision, payloadtype, timestamp) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", commit.get("globalindex"),
                    commit.get("aggregateidentifier"), commit.get("sequencenumber"), commit.get("type"),
                    commit.get("eventidentifier"), commit.get("metadata"), commit.get("payload"),
                    commit.get("payloadrevision"), commit.get("payloadtype"), commit.get("timestamp"));
        }
        assertThat(verification().path("intact").asBoolean()).isTrue();
    }

    @Test
    void anActivitysFirstEventDeletedIsReportedByItsChainAndByTheTree() {
        String id = startedActivity();
        Map<String, Object> proposal = event(id, 0);
        awaitCheckpointed(event(id, 2));
        store.update("DELETE FROM domainevententry WHERE globalindex = ?", proposal.get("globalindex"));
        try {
            List<String> reasons = verification().path("failures").findValuesAsText("reason");

            assertThat(reasons).anyMatch(reason -> reason.contains("events 0 to 0 of " + id + " are missing"))
                    .anyMatch(reason -> reason.contains("commits to event " + proposal.get("eventidentifier")
                            + " at this global position, and no event is stored there any more: removed"));
        } finally {
            insert(proposal, (Long) proposal.get("globalindex"));
        }
        assertThat(verification().path("intact").asBoolean()).isTrue();
    }

    @Test
    void anActivitysLastEventDeletedIsReportedByTheTree() {
        String id = startedActivity();
        Map<String, Object> start = event(id, 2);
        awaitCheckpointed(start);
        store.update("DELETE FROM domainevententry WHERE globalindex = ?", start.get("globalindex"));
        try {
            JsonNode failure = onlyFailure(verification());

            assertThat(failure.path("eventId").asText()).isEqualTo(start.get("eventidentifier"));
            assertThat(failure.path("reason").asText()).contains("no event is stored there any more: removed");
        } finally {
            insert(start, (Long) start.get("globalindex"));
        }
        assertThat(verification().path("intact").asBoolean()).isTrue();
    }

    @Test
    void aHeadSignedWithAnotherKeyIsReportedNamingTheKey() {
        JsonNode head = awaitCheckpointed(event(startedActivity(), 2));
        long size = head.path("treeSize").asLong();
        java.security.KeyPair other = Ed25519.generate();
        String otherId = Ed25519.keyId(other.getPublic());
        Map<String, Object> stored = store.queryForMap("SELECT key_id, signature FROM tree_head WHERE tree_size = ?",
                size);
        store.update("UPDATE tree_head SET key_id = ?, signature = ? WHERE tree_size = ?", otherId,
                Ed25519.sign(other.getPrivate(), Checkpoints.signedTreeHead(size, head.path("rootHash").asText(),
                        head.path("timestamp").asText(), otherId, null)), size);
        try {
            assertThat(verification().path("failures").findValuesAsText("reason")).anyMatch(reason -> reason.equals(
                    "signed tree head " + size + ": it is signed with key " + otherId + " but the ledger's key is "
                            + head.path("keyId").asText() + ", and no head signed with that key announced " + otherId));
        } finally {
            store.update("UPDATE tree_head SET key_id = ?, signature = ? WHERE tree_size = ?", stored.get("key_id"),
                    stored.get("signature"), size);
        }
        assertThat(verification().path("intact").asBoolean()).isTrue();
    }

    @Test
    void aHeadReSignedWithAnEarlierTimeIsReportedAsTimeGoingBackwards() throws Exception {
        awaitCheckpointed(event(startedActivity(), 2));
        List<Map<String, Object>> lastTwo = store.queryForList(
                "SELECT * FROM tree_head ORDER BY tree_size DESC LIMIT 2");
        Map<String, Object> latest = lastTwo.get(0);
        long size = (Long) latest.get("tree_size");
        String earlier = java.time.Instant.parse((String) lastTwo.get(1).get("signed_at")).minusSeconds(60).toString();
        java.security.KeyPair key = Ed25519.readKeyFile(system.signingKeyFile());
        store.update("UPDATE tree_head SET signed_at = ?, signature = ? WHERE tree_size = ?", earlier,
                Ed25519.sign(key.getPrivate(), Checkpoints.signedTreeHead(size, (String) latest.get("root_hash"),
                        earlier, (String) latest.get("key_id"), null)), size);
        try {
            assertThat(verification().path("failures").findValuesAsText("reason")).contains("signed tree head " + size
                    + ": it is dated " + earlier + ", before the head of size " + lastTwo.get(1).get("tree_size")
                    + " (" + lastTwo.get(1).get("signed_at") + "): time goes backwards");
        } finally {
            store.update("UPDATE tree_head SET signed_at = ?, signature = ? WHERE tree_size = ?",
                    latest.get("signed_at"), latest.get("signature"), size);
        }
        assertThat(verification().path("intact").asBoolean()).isTrue();
    }

    @Test
    void anActivitysLastEventDeletedTogetherWithItsLeafIsReportedByTheTree() {
        String id = startedActivity();
        Map<String, Object> start = event(id, 2);
        // A later activity, so that leaves exist after the deleted one and the tree's size does not shrink.
        awaitCheckpointed(event(startedActivity(), 2));
        Map<String, Object> leaf = store.queryForMap("SELECT * FROM merkle_leaf WHERE event_id = ?",
                start.get("eventidentifier"));
        store.update("DELETE FROM merkle_leaf WHERE tree_index = ?", leaf.get("tree_index"));
        store.update("DELETE FROM domainevententry WHERE globalindex = ?", start.get("globalindex"));
        try {
            JsonNode report = verification();

            assertThat(report.path("intact").asBoolean()).isFalse();
            List<String> reasons = report.path("failures").findValuesAsText("reason");
            assertThat(reasons).as(report.toString())
                    .anyMatch(reason -> reason.contains("Merkle leaf " + leaf.get("tree_index") + " is missing"))
                    .anyMatch(reason -> reason.contains("covers more leaves than the tree's leaves run to ("
                            + leaf.get("tree_index") + ")"));
        } finally {
            insert(start, (Long) start.get("globalindex"));
            store.update("INSERT INTO merkle_leaf (tree_index, global_sequence, event_id, event_hash) "
                    + "VALUES (?, ?, ?, ?)", leaf.get("tree_index"), leaf.get("global_sequence"),
                    leaf.get("event_id"), leaf.get("event_hash"));
        }
        assertThat(verification().path("intact").asBoolean()).isTrue();
    }

    @Test
    void twoSwappedEventsOfOneActivityAreReported() {
        String id = startedActivity();
        Map<String, Object> commit = event(id, 1);
        Map<String, Object> start = event(id, 2);
        moveContent(commit, start);
        moveContent(start, commit);
        fixIds(commit, start);
        try {
            JsonNode report = verification();

            assertThat(report.path("intact").asBoolean()).isFalse();
            assertThat(report.path("failures").findValuesAsText("globalSequence"))
                    .contains(commit.get("globalindex").toString());
            assertThat(report.path("failures").findValuesAsText("aggregateId")).containsOnly(id);
            assertThat(report.path("failures").findValuesAsText("reason"))
                    .anyMatch(reason -> reason.startsWith("its previous-hash link does not match"))
                    .anyMatch(reason -> reason.endsWith("is stored there: replaced or reordered"));
        } finally {
            moveContent(commit, commit);
            moveContent(start, start);
            fixIds(commit, start);
        }
        assertThat(verification().path("intact").asBoolean()).isTrue();
    }

    /** Each event's own id again, once the two rows' contents are where they should be. */
    private static void fixIds(Map<String, Object> first, Map<String, Object> second) {
        for (Map<String, Object> event : List.of(first, second)) {
            store.update("UPDATE domainevententry SET eventidentifier = ? WHERE eventidentifier = ?",
                    event.get("eventidentifier"), "swap-" + event.get("eventidentifier"));
        }
    }

    /** Puts one event's content in another's row, as a reordering attack would. */
    private static void moveContent(Map<String, Object> into, Map<String, Object> from) {
        // A temporary id, since event ids are unique and both rows hold one of the two for a moment.
        store.update("UPDATE domainevententry SET payload = ?, metadata = ?, payloadtype = ?, eventidentifier = ?, "
                        + "timestamp = ? WHERE globalindex = ?", from.get("payload"), from.get("metadata"),
                from.get("payloadtype"), "swap-" + from.get("eventidentifier"), from.get("timestamp"),
                into.get("globalindex"));
    }

    /** Puts each row's whole event in the other's global position, as an attacker reordering the log would. */
    private static void moveRow(Map<String, Object> first, Map<String, Object> second) {
        store.update("DELETE FROM domainevententry WHERE globalindex IN (?, ?)", first.get("globalindex"),
                second.get("globalindex"));
        insert(first, (Long) second.get("globalindex"));
        insert(second, (Long) first.get("globalindex"));
    }

    private static void restoreRow(Map<String, Object> first, Map<String, Object> second) {
        store.update("DELETE FROM domainevententry WHERE globalindex IN (?, ?)", first.get("globalindex"),
                second.get("globalindex"));
        insert(first, (Long) first.get("globalindex"));
        insert(second, (Long) second.get("globalindex"));
    }

    private static void insert(Map<String, Object> event, long globalIndex) {
        store.update("INSERT INTO domainevententry (globalindex, aggregateidentifier, sequencenumber, type, "
                        + "eventidentifier, metadata, payload, payloadrevision, payloadtype, timestamp) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", globalIndex, event.get("aggregateidentifier"),
                event.get("sequencenumber"), event.get("type"), event.get("eventidentifier"), event.get("metadata"),
                event.get("payload"), event.get("payloadrevision"), event.get("payloadtype"), event.get("timestamp"));
    }

    /** Waits for a signed tree head that includes the event, and returns it. */
    private static JsonNode awaitCheckpointed(Map<String, Object> event) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> {
            List<Long> index = store.queryForList("SELECT tree_index FROM merkle_leaf WHERE event_id = ?", Long.class,
                    event.get("eventidentifier"));
            Http.Response latest = Http.get(system.commandUrl() + "/api/audit/checkpoints/latest");
            return index.isEmpty() || latest.status() != 200
                    || latest.json().path("treeSize").asLong() <= index.get(0) ? null : latest.json();
        }, head -> head != null);
    }

    private static boolean signatureHolds(JsonNode key, JsonNode head) throws Exception {
        PublicKey publicKey = KeyFactory.getInstance("Ed25519").generatePublic(
                new X509EncodedKeySpec(Base64.getDecoder().decode(key.path("publicKey").asText())));
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(publicKey);
        verifier.update(("{\"keyId\":\"" + head.path("keyId").asText() + "\",\"rootHash\":\""
                + head.path("rootHash").asText() + "\",\"timestamp\":\""
                + head.path("timestamp").asText() + "\",\"treeSize\":" + head.path("treeSize").asLong() + "}")
                .getBytes(StandardCharsets.UTF_8));
        return verifier.verify(Base64.getDecoder().decode(head.path("signature").asText()));
    }

    private static byte[] canonicalLeaf(JsonNode proof) {
        return ("{\"eventHash\":\"" + proof.path("eventHash").asText() + "\",\"eventId\":\""
                + proof.path("eventId").asText() + "\",\"globalSequence\":" + proof.path("globalSequence").asLong()
                + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static List<byte[]> hashes(JsonNode hexes) {
        List<byte[]> hashes = new ArrayList<>();
        hexes.forEach(hex -> hashes.add(HexFormat.of().parseHex(hex.asText())));
        return hashes;
    }

    private static String startedActivity() {
        String id = Ledger.newActivityId("ANAPEC", "SEAL");
        assertThat(Ledger.propose(system, id, "ANAPEC").status()).isEqualTo(201);
        String activity = system.commandUrl() + "/api/activities/" + id;
        assertThat(Ledger.post(system, activity + "/commitment", Map.of("committedAmount",
                Map.of("amount", new BigDecimal("1200000.00"), "currency", "MAD"), "committedOn", "2024-02-20"))
                .status()).isEqualTo(200);
        assertThat(Ledger.post(system, activity + "/start", Map.of("startedOn", "2024-03-04")).status()).isEqualTo(200);
        Ledger.awaitSettled(system, id);
        return id;
    }

    private static Map<String, Object> event(String id, long sequence) {
        return store.queryForMap("SELECT * FROM domainevententry WHERE aggregateidentifier = ? AND sequencenumber = ?",
                id, sequence);
    }

    private static JsonNode verification() {
        Http.Response response = Ledger.auditor(system).get(system.commandUrl() + "/api/audit/verification");
        assertThat(response.status()).as(response.raw().body()).isEqualTo(200);
        return response.json();
    }

    private static JsonNode onlyFailure(JsonNode report) {
        assertThat(report.path("intact").asBoolean()).isFalse();
        assertThat(report.path("failures")).as(report.toString()).hasSize(1);
        return report.path("failures").get(0);
    }

    @Test
    void theVerificationAndTheExportPastTheLongReadLimitAreRefusedWith429() {
        org.convergenceledger.command.system.LongReads longReads =
                system.commandBean(org.convergenceledger.command.system.LongReads.class);
        var first = longReads.admit("held by the test");
        var second = longReads.admit("held by the test");
        try {
            Http.Response verification = Ledger.auditor(system).get(system.commandUrl() + "/api/audit/verification");
            Http.Response export = Ledger.auditor(system).get(system.commandUrl() + "/api/audit/export?format=csv");

            for (Http.Response refused : List.of(verification, export)) {
                assertThat(refused.status()).isEqualTo(429);
                assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
                assertThat(refused.header("Retry-After")).matches("[1-9][0-9]*");
                assertThat(refused.json().path("code").asText()).isEqualTo("too-busy");
            }
        } finally {
            first.close();
            second.close();
        }
        assertThat(Ledger.auditor(system).get(system.commandUrl() + "/api/audit/verification").status())
                .isEqualTo(200);
        assertThat(Ledger.auditor(system).get(system.commandUrl() + "/api/audit/export?format=csv").status())
                .isEqualTo(200);
    }
}
