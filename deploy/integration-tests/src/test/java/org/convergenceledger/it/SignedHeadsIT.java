package org.convergenceledger.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.convergenceledger.events.canonical.Checkpoints;
import org.convergenceledger.events.canonical.Ed25519;
import org.convergenceledger.events.verify.Witness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The signer that cannot be made to lie, and witnesses. Each test rewrites what someone with write access to the
 * database could — the tree's nodes, the stored heads, and heads re-signed with the ledger's own key — and checks
 * that the signer stops (health says why), that a witness holding an earlier head raises the alarm, and that all
 * resumes once the store is put back.
 */
class SignedHeadsIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static LedgerSystem system;
    private static JdbcTemplate store;

    @TempDir
    Path dir;

    @BeforeAll
    static void startTheLedger() {
        system = LedgerSystem.get();
        Ledger.ensureRegistry(system);
        store = system.commandDatabase();
    }

    @Test
    void theSigningKeyLivesInAFileOnlyItsOwnerReadsAndNotInTheDatabase() throws Exception {
        Path key = system.signingKeyFile();

        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
                .isEqualTo("rw-------");
        assertThat(store.queryForObject("SELECT count(*) FROM signing_key WHERE private_key IS NOT NULL",
                Long.class)).isZero();
        JsonNode published = Http.get(system.commandUrl() + "/api/audit/public-key").json();
        assertThat(published.path("keyId").asText()).isEqualTo(Ed25519.keyId(Ed25519.readKeyFile(key).getPublic()));
        assertThat(published.path("keys").get(0).path("keyId").asText()).isEqualTo(published.path("keyId").asText());
    }

    @Test
    void aTreeRewrittenUnderTheLastHeadStopsTheSignerAndHealthSaysWhy() {
        awaitHeadCovering(newActivity());
        List<Map<String, Object>> spine = leftSpine();
        try {
            forgeLeftSpine();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                JsonNode health = Ledger.admin(system).get(system.commandUrl() + "/actuator/health/treeHeads")
                        .json();
                assertThat(health.path("status").asText()).isEqualTo("DOWN");
                assertThat(health.path("details").path("reason").asText())
                        .contains("the tree no longer extends the head signed at size").contains("history rewritten");
            });
        } finally {
            restore(spine);
        }
        awaitSigning();
    }

    @Test
    void aDeletedHeadStopsTheSignerAndNoNewEventIsSignedUntilItIsBack() throws Exception {
        awaitHeadCovering(newActivity());
        Map<String, Object> latest = store.queryForMap("SELECT * FROM tree_head ORDER BY tree_size DESC LIMIT 1");
        store.update("DELETE FROM tree_head WHERE tree_size = ?", latest.get("tree_size"));
        String later;
        try {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                    Ledger.admin(system).get(system.commandUrl() + "/actuator/health/treeHeads").json()
                            .path("details").path("reason").asText())
                    .contains("this signer last signed the head of size " + latest.get("tree_size"))
                    .contains("signed heads were removed"));
            later = newActivity();
            await().atMost(Duration.ofSeconds(20)).until(() -> leafOf(later) != null);
            Thread.sleep(1500); // three checkpoint intervals
            assertThat(store.queryForObject("SELECT coalesce(max(tree_size), 0) FROM tree_head", Long.class))
                    .isLessThan((Long) latest.get("tree_size"));
        } finally {
            store.update("INSERT INTO tree_head (tree_size, root_hash, signed_at, key_id, next_key, signature, "
                            + "published_at) VALUES (?, ?, ?, ?, ?, ?, ?)", latest.get("tree_size"),
                    latest.get("root_hash"), latest.get("signed_at"), latest.get("key_id"), latest.get("next_key"),
                    latest.get("signature"), latest.get("published_at"));
        }
        awaitHeadCovering(later);
        awaitSigning();
    }

    @Test
    void aWitnessCoSignsEachHeadThatExtendsTheLastAndRaisesTheAlarmWhenTheHistoryIsRewrittenAndReSigned()
            throws Exception {
        KeyPair witnessKey = Ed25519.generate();
        Path keyFile = dir.resolve("witness.pem");
        Ed25519.writeKeyFile(keyFile, witnessKey);
        String witnessId = Ed25519.keyId(witnessKey.getPublic());
        Http.Response registered = Ledger.admin(system).post(system.commandUrl() + "/api/admin/witnesses",
                Map.of("name", "Cour des comptes (test)", "publicKey", Ed25519.base64(witnessKey.getPublic())));
        assertThat(registered.status()).as(registered.raw().body()).isEqualTo(201);
        Path state = dir.resolve("witness");
        String[] once = {"--ledger", system.commandUrl(), "--key", keyFile.toString(), "--state", state.toString(),
                "--once"};

        awaitHeadCovering(newActivity());
        assertThat(Witness.run(once)).isZero();
        long first = JSON.readTree(state.resolve("latest.json").toFile()).path("treeSize").asLong();
        JsonNode served = Http.get(system.commandUrl() + "/api/audit/checkpoints?size=" + first).json();
        assertThat(served.path("cosignatures").findValuesAsText("witnessKeyId")).containsExactly(witnessId);

        awaitHeadCovering(newActivity());
        assertThat(Witness.run(once)).isZero();
        long second = JSON.readTree(state.resolve("latest.json").toFile()).path("treeSize").asLong();
        assertThat(second).isGreaterThan(first);
        assertThat(Files.readAllLines(state.resolve("heads.ndjson"))).hasSizeGreaterThanOrEqualTo(2);

        // The operator rewrites the tree and re-signs every head the witness has not seen, with the ledger's key.
        awaitHeadCovering(newActivity());
        List<Map<String, Object>> spine = leftSpine();
        List<Map<String, Object>> unseen = store.queryForList("SELECT * FROM tree_head WHERE tree_size > ?", second);
        assertThat(unseen).isNotEmpty();
        try {
            forgeLeftSpine();
            KeyPair ledgerKey = Ed25519.readKeyFile(system.signingKeyFile());
            String keyId = Ed25519.keyId(ledgerKey.getPublic());
            for (Map<String, Object> head : unseen) {
                long size = (Long) head.get("tree_size");
                String root = store.queryForObject("SELECT root_hash FROM tree_head WHERE tree_size = ?", String.class,
                        size);
                String forgedRoot = Http.get(system.commandUrl() + "/api/audit/proofs/consistency?from=" + size
                        + "&to=" + size).json().path("toRoot").asText();
                assertThat(forgedRoot).isNotEqualTo(root);
                store.update("UPDATE tree_head SET root_hash = ?, signature = ? WHERE tree_size = ?", forgedRoot,
                        Ed25519.sign(ledgerKey.getPrivate(), Checkpoints.signedTreeHead(size, forgedRoot,
                                (String) head.get("signed_at"), keyId, null)), size);
            }

            assertThat(Witness.run(once)).isEqualTo(Witness.ALARM);
            JsonNode alarm = JSON.readTree(state.resolve("alarm.json").toFile());
            assertThat(alarm.path("reason").asText()).contains("is not consistent with the head of size " + second)
                    .contains("the history was rewritten");
            assertThat(alarm.path("acceptedHead").path("treeSize").asLong()).isEqualTo(second);
            assertThat(JSON.readTree(state.resolve("latest.json").toFile()).path("treeSize").asLong())
                    .isEqualTo(second);
        } finally {
            restore(spine);
            for (Map<String, Object> head : unseen) {
                store.update("UPDATE tree_head SET root_hash = ?, signature = ? WHERE tree_size = ?",
                        head.get("root_hash"), head.get("signature"), head.get("tree_size"));
            }
        }
        awaitSigning();
        Files.delete(state.resolve("alarm.json"));
        assertThat(Witness.run(once)).isZero();
    }

    @Test
    void aCoSignatureThatDoesNotVerifyOrComesFromAnUnregisteredWitnessIsRefused() {
        long size = awaitHeadCovering(newActivity());
        KeyPair stranger = Ed25519.generate();
        String strangerId = Ed25519.keyId(stranger.getPublic());
        String at = "2026-11-29T12:00:00Z";
        Map<String, String> cosignature = Map.of("witnessKeyId", strangerId, "witnessedAt", at, "signature",
                Ed25519.sign(stranger.getPrivate(), Checkpoints.cosignature(size, "00", at, strangerId)));
        String url = system.commandUrl() + "/api/audit/checkpoints/" + size + "/cosignatures";

        Http.Response incomplete = Http.post(url, Map.of("witnessKeyId", strangerId));
        assertThat(incomplete.status()).isEqualTo(400);
        assertThat(incomplete.json().toString()).contains("witnessedAt").contains("signature");

        Http.Response unregistered = Http.post(url, cosignature);
        assertThat(unregistered.status()).isEqualTo(403);
        assertThat(unregistered.raw().headers().firstValue("Content-Type").orElse(""))
                .startsWith("application/problem+json");

        assertThat(Ledger.admin(system).post(system.commandUrl() + "/api/admin/witnesses",
                Map.of("name", "stranger", "publicKey", Ed25519.base64(stranger.getPublic()))).status())
                .isEqualTo(201);
        Http.Response wrongRoot = Http.post(url, cosignature);
        assertThat(wrongRoot.status()).isEqualTo(400);
        assertThat(wrongRoot.json().toString()).contains("does not verify with witness key " + strangerId);
        assertThat(Http.get(system.commandUrl() + "/api/audit/checkpoints?size=" + size).json()
                .path("cosignatures").findValuesAsText("witnessKeyId")).doesNotContain(strangerId);
    }

    @Test
    void headsSignedWhileTheBrokerIsDownReachTheTopicWhenItReturns() {
        long before = awaitHeadCovering(newActivity());
        Set<Long> signedDuringOutage = new HashSet<>();
        system.kafka().stop();
        try {
            String during = newActivity();
            long size = awaitHeadCovering(during);
            store.queryForList("SELECT tree_size FROM tree_head WHERE tree_size > ?", Long.class, before)
                    .forEach(signedDuringOutage::add);
            assertThat(signedDuringOutage).contains(size);
            assertThat(store.queryForObject("SELECT count(*) FROM tree_head WHERE published_at IS NULL", Long.class))
                    .isPositive();
        } finally {
            system.kafka().start();
        }
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> store.queryForObject(
                "SELECT count(*) FROM tree_head WHERE published_at IS NULL", Long.class) == 0);
        Set<Long> onTheTopic = new HashSet<>();
        try (KafkaConsumer<String, byte[]> consumer = system.kafkaConsumer()) {
            consumer.subscribe(List.of("ledger.checkpoints"));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(500)).forEach(record -> onTheTopic.add(Long.parseLong(record.key())));
                return onTheTopic.containsAll(signedDuringOutage);
            });
        }
    }

    @Test
    void aNewKeyIsRefusedUntilTheOldOneAnnouncesItAndThenEveryCheckerFollowsTheHandOver() throws Exception {
        awaitHeadCovering(newActivity());
        Path oldKey = system.signingKeyFile();
        String oldId = Ed25519.keyId(Ed25519.readKeyFile(oldKey).getPublic());
        KeyPair next = Ed25519.generate();
        String nextId = Ed25519.keyId(next.getPublic());
        // Beside the first key, not in this test's own directory: the service keeps using it after the test.
        Path nextKey = oldKey.resolveSibling("signing-key-" + nextId + ".pem");
        Ed25519.writeKeyFile(nextKey, next);

        // Started with the new key alone: a change of key no one announced. Nothing is signed.
        system.restartCommandServiceWithKeys(nextKey, null);
        store = system.commandDatabase();
        String unsigned = newActivity();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                Ledger.admin(system).get(system.commandUrl() + "/actuator/health/treeHeads").json()
                        .path("details").path("reason").asText())
                .contains("the last head was signed with key " + oldId)
                .contains("a new key must be announced by a head signed with the old one"));
        assertThat(store.queryForObject("SELECT count(*) FROM tree_head WHERE key_id = ?", Long.class, nextId))
                .isZero();

        // With the old key given as the previous one: the next head, signed with the old key, names the new one.
        system.restartCommandServiceWithKeys(nextKey, oldKey);
        store = system.commandDatabase();
        awaitHeadCovering(unsigned);
        long handOver = awaitHeadCovering(newActivity());
        // Exactly one head hands over; the ones after it are the new key's.
        Map<String, Object> announcing = store.queryForMap("SELECT * FROM tree_head WHERE next_key IS NOT NULL");
        assertThat(announcing.get("key_id")).isEqualTo(oldId);
        assertThat(announcing.get("next_key")).isEqualTo(Ed25519.base64(next.getPublic()));
        assertThat(store.queryForObject("SELECT count(*) FROM tree_head WHERE key_id = ? AND tree_size > ?",
                Long.class, nextId, announcing.get("tree_size"))).isPositive();

        JsonNode publicKey = Http.get(system.commandUrl() + "/api/audit/public-key").json();
        assertThat(publicKey.path("keyId").asText()).isEqualTo(nextId);
        assertThat(publicKey.path("keys").findValuesAsText("keyId")).containsSubsequence(oldId, nextId);
        assertThat(Ledger.auditor(system).get(system.commandUrl() + "/api/audit/verification").json()
                .path("intact").asBoolean()).isTrue();
        assertThat(handOver).isPositive();
    }

    private static String newActivity() {
        String id = Ledger.newActivityId("ANAPEC", "HEAD");
        Http.Response proposed = Ledger.propose(system, id, "ANAPEC");
        assertThat(proposed.status()).as(proposed.raw().body()).isEqualTo(201);
        return id;
    }

    private static Long leafOf(String activityId) {
        List<Long> leaf = store.queryForList("SELECT l.tree_index FROM merkle_leaf l JOIN domainevententry e "
                + "ON e.eventidentifier = l.event_id WHERE e.aggregateidentifier = ?", Long.class, activityId);
        return leaf.isEmpty() ? null : leaf.get(0);
    }

    /** Waits for a signed head covering the activity's first event; returns its size. */
    private static long awaitHeadCovering(String activityId) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> {
            Long leaf = leafOf(activityId);
            Long size = store.queryForObject("SELECT max(tree_size) FROM tree_head", Long.class);
            return leaf == null || size == null || size <= leaf ? null : size;
        }, size -> size != null);
    }

    private static void awaitSigning() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                Ledger.admin(system).get(system.commandUrl() + "/actuator/health/treeHeads").json().path("status")
                        .asText())
                .isEqualTo("UP"));
    }

    /** The leftmost node of every level: whatever the tree's size, its root starts from one of them. */
    private static List<Map<String, Object>> leftSpine() {
        return new ArrayList<>(store.queryForList("SELECT level, node_index, hash FROM merkle_node WHERE node_index = 0"));
    }

    private static void forgeLeftSpine() {
        store.update("UPDATE merkle_node SET hash = sha256(hash) WHERE node_index = 0");
    }

    private static void restore(List<Map<String, Object>> nodes) {
        for (Map<String, Object> node : nodes) {
            store.update("UPDATE merkle_node SET hash = ? WHERE level = ? AND node_index = ?", node.get("hash"),
                    node.get("level"), node.get("node_index"));
        }
    }
}
