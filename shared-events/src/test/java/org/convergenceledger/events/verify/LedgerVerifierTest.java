package org.convergenceledger.events.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.convergenceledger.events.canonical.Checkpoints;
import org.convergenceledger.events.canonical.Ed25519;
import org.convergenceledger.events.activity.ActivityMovedIn;
import org.convergenceledger.events.activity.ActivityProposed;
import org.convergenceledger.events.activity.ActivityRekeyed;
import org.convergenceledger.events.canonical.EventHash;
import org.convergenceledger.events.canonical.Merkle;
import org.convergenceledger.events.canonical.MerkleNodes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone verifier against a small ledger built here exactly as the command service seals, leafs and signs
 * it: three activities, nine events, heads at sizes 4 and 9. Each test changes the export or the heads as someone
 * handing auditors the files could, and checks the verifier fails naming what changed.
 */
class LedgerVerifierTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TIME = "2026-11-29T10:01:00Z";

    @TempDir
    Path dir;

    private KeyPair key;
    private List<ObjectNode> events;
    private List<ObjectNode> heads;

    @BeforeEach
    void buildALedger() throws Exception {
        key = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        build(-1);
    }

    /** The ledger, with one event's content changed if {@code altered} names it: resealed, re-leafed, re-signed. */
    private void build(int altered) {
        events = new ArrayList<>();
        Map<String, String> lastHash = new HashMap<>();
        Map<String, Long> nextSequence = new HashMap<>();
        String[] aggregates = {"ANAPEC:A", "OFPPT:B", "ANAPEC:A", "CNSS:C", "OFPPT:B", "ANAPEC:A", "CNSS:C",
                "OFPPT:B", "ANAPEC:A"};
        MerkleNodes tree = new MerkleNodes();
        heads = new ArrayList<>();
        for (int i = 0; i < aggregates.length; i++) {
            String aggregate = aggregates[i];
            long sequence = nextSequence.merge(aggregate, 1L, Long::sum) - 1;
            ObjectNode event = JSON.createObjectNode();
            event.put("globalSequence", 100 + i);
            event.put("treeIndex", i);
            event.put("eventId", "event-" + i);
            event.put("aggregateId", aggregate);
            event.put("aggregateSequence", sequence);
            event.put("payloadType", "ActivityProposed");
            event.put("recordedAt", "2026-11-29T10:00:0" + i + ".000Z");
            event.putObject("envelope").put("actor", "agency:" + aggregate.split(":")[0]);
            event.putObject("payload").put("activityId", aggregate).put("step", i == altered ? 99 : i);
            String previous = lastHash.getOrDefault(aggregate, EventHash.GENESIS);
            String hash = EventHash.of(new EventHash.Fields(event.get("eventId").asText(), aggregate, sequence,
                    "ActivityProposed", event.get("recordedAt").asText(),
                    Map.of("actor", event.get("envelope").get("actor").asText()), event.get("payload"), previous));
            event.put("hash", hash);
            event.put("previousHash", previous);
            lastHash.put(aggregate, hash);
            events.add(event);
            tree.append(Merkle.leafHash(Checkpoints.leafData(100 + i, "event-" + i, hash)));
            if (tree.size() == 4 || tree.size() == 9) {
                heads.add(head(tree.size(), HexFormat.of().formatHex(Merkle.root(tree.size(), tree))));
            }
        }
    }

    /**
     * A ledger of one activity that moved: ANAPEC:A proposed, then re-keyed to OFPPT:B, whose stream starts with the
     * moved-in event linked to A's last hash (or to {@code linkTo} when given); one signed head over all three.
     */
    private void buildAMove(String rekeyedTo, String linkTo) {
        events = new ArrayList<>();
        heads = new ArrayList<>();
        MerkleNodes tree = new MerkleNodes();
        String proposed = append(tree, "ANAPEC:A", 0, ActivityProposed.class.getName(),
                JSON.createObjectNode().put("activityId", "ANAPEC:A"), EventHash.GENESIS);
        String rekeyed = append(tree, "ANAPEC:A", 1, ActivityRekeyed.class.getName(),
                JSON.createObjectNode().put("activityId", "ANAPEC:A").put("newActivityId", rekeyedTo), proposed);
        append(tree, "OFPPT:B", 0, ActivityMovedIn.class.getName(),
                JSON.createObjectNode().put("activityId", "OFPPT:B").put("movedFrom", "ANAPEC:A"),
                linkTo != null ? linkTo : rekeyed);
        heads.add(head(tree.size(), HexFormat.of().formatHex(Merkle.root(tree.size(), tree))));
    }

    private String append(MerkleNodes tree, String aggregate, long sequence, String type, ObjectNode payload,
                          String previous) {
        int i = events.size();
        ObjectNode event = JSON.createObjectNode();
        event.put("globalSequence", 100 + i);
        event.put("treeIndex", i);
        event.put("eventId", "event-" + i);
        event.put("aggregateId", aggregate);
        event.put("aggregateSequence", sequence);
        event.put("payloadType", type);
        event.put("recordedAt", "2026-11-29T10:00:0" + i + ".000Z");
        event.putObject("envelope").put("recordedBy", aggregate.split(":")[0]);
        event.set("payload", payload);
        String hash = EventHash.of(new EventHash.Fields("event-" + i, aggregate, sequence, type,
                event.get("recordedAt").asText(), Map.of("recordedBy", aggregate.split(":")[0]), payload, previous));
        event.put("hash", hash);
        event.put("previousHash", previous);
        events.add(event);
        tree.append(Merkle.leafHash(Checkpoints.leafData(100 + i, "event-" + i, hash)));
        return hash;
    }

    @Test
    void aChainThatMovesToAnotherIdentifierVerifiesAcrossTheMove() throws Exception {
        buildAMove("OFPPT:B", null);

        assertThat(verify().message()).isEqualTo("verified 3 events up to tree size 3");
    }

    @Test
    void aMovedInEventWhoseOldIdentifierDidNotMoveThereFails() throws Exception {
        buildAMove("GIZ:C", null);

        assertThat(verify().message()).startsWith("FAILED").contains("OFPPT:B")
                .contains("whose last event is not its move to OFPPT:B");
    }

    @Test
    void aMovedInEventThatDoesNotLinkToTheOldStreamsLastEventFails() throws Exception {
        buildAMove("OFPPT:B", EventHash.GENESIS);

        assertThat(verify().message()).startsWith("FAILED").contains("it does not link to the last event of ANAPEC:A");
    }

    @Test
    void theWholeExportVerifies() throws Exception {
        assertThat(verify().message()).isEqualTo("verified 9 events up to tree size 9");
        assertThat(verify().latestHead().path("treeSize").asLong()).isEqualTo(9);
    }

    @Test
    void aTruncatedExportFailsNamingTheHeadItNoLongerCovers() throws Exception {
        events.remove(8);

        LedgerVerifier.Result result = verify();

        assertThat(result.ok()).isFalse();
        assertThat(result.message()).isEqualTo("FAILED at signed tree head 9: the head covers 9 events but the export's"
                + " tree ends at 8: events were removed from its end (download the checkpoints before the export)");
    }

    @Test
    void anExportCutInHalfFails() throws Exception {
        events.subList(5, 9).clear();

        assertThat(verify().message()).startsWith("FAILED at signed tree head 9").contains("tree ends at 5");
    }

    @Test
    void aStrippedTreeIndexInTheMiddleLeavesAHole() throws Exception {
        events.get(3).putNull("treeIndex");

        assertThat(verify().message()).isEqualTo("FAILED: tree leaf 3 is missing from the export (it holds leaves up"
                + " to 8): an event was removed or its treeIndex stripped");
    }

    @Test
    void strippedTreeIndexesAtTheEndLeaveAHeadUncovered() throws Exception {
        events.get(7).putNull("treeIndex");
        events.get(8).putNull("treeIndex");

        assertThat(verify().message()).startsWith("FAILED at signed tree head 9").contains("tree ends at 7");
    }

    @Test
    void anActivitysFirstEventRemovedFails() throws Exception {
        events.remove(3); // CNSS:C's event 0; its event 1 follows at global sequence 106

        assertThat(verify().message()).startsWith("FAILED at global sequence 106 (event event-6 of CNSS:C): events 0"
                + " to 0 of its activity are missing before it");
    }

    @Test
    void aMiddleEventRemovedTogetherWithItsLeafFails() throws Exception {
        events.remove(5); // ANAPEC:A's event 2

        assertThat(verify().message()).startsWith("FAILED at global sequence 108 (event event-8 of ANAPEC:A): events 2"
                + " to 2 of its activity are missing before it");
    }

    @Test
    void anActivitysLastEventRemovedTogetherWithItsLeafLeavesAHole() throws Exception {
        events.remove(7); // OFPPT:B's last event, leaf 7

        assertThat(verify().message()).isEqualTo("FAILED: tree leaf 7 is missing from the export (it holds leaves up"
                + " to 8): an event was removed or its treeIndex stripped");
    }

    @Test
    void anEventResealedAfterItsLeafWasSignedFailsAgainstTheSignedRoot() throws Exception {
        List<ObjectNode> signed = heads;
        build(8); // ANAPEC:A's last event changed and sealed again, its leaf made again from the new seal
        heads = signed;

        assertThat(verify().message()).startsWith("FAILED at signed tree head 9: the events' tree has root ")
                .contains("the head says " + signed.get(1).get("rootHash").asText());
    }

    @Test
    void twoLinesOfOneActivitySwappedFail() throws Exception {
        ObjectNode first = events.get(0);
        events.set(0, events.get(2)); // ANAPEC:A's events 0 and 1
        events.set(2, first);

        assertThat(verify().message()).startsWith("FAILED at global sequence 102 (event event-2 of ANAPEC:A): events 0"
                + " to 0 of its activity are missing before it");
    }

    @Test
    void twoEventsSwappedInTheGlobalOrderFailAgainstTheSignedRoot() throws Exception {
        events.get(3).put("globalSequence", 104); // CNSS:C's and OFPPT:B's first events trade places
        events.get(4).put("globalSequence", 103);

        assertThat(verify().message()).startsWith("FAILED at signed tree head 4: the events' tree has root ");
    }

    @Test
    void twoEventsClaimingOneLeafFail() throws Exception {
        events.get(6).put("treeIndex", 2);

        assertThat(verify().message()).startsWith("FAILED at global sequence 106")
                .contains("claims tree leaf 2, which the event at global sequence 102 already holds");
    }

    @Test
    void aChangedPayloadFails() throws Exception {
        ((ObjectNode) events.get(4).get("payload")).put("step", 40);

        assertThat(verify().message()).startsWith("FAILED at global sequence 104").contains("does not match its hash");
    }

    @Test
    void aHeadSignedWithAnotherKeyFailsNamingTheKey() throws Exception {
        KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        heads.set(0, signedBy(other, 4, heads.get(0).get("rootHash").asText(), TIME, null));

        assertThat(verify().message()).isEqualTo("FAILED at signed tree head 4: it is signed with key "
                + Ed25519.keyId(other.getPublic()) + " but the ledger's key is " + Ed25519.keyId(key.getPublic())
                + ", and no head signed with that key announced " + Ed25519.keyId(other.getPublic()));
    }

    @Test
    void aHeadClaimingTheLedgersKeyButSignedWithAnotherFails() throws Exception {
        KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        ObjectNode forged = signedBy(other, 4, heads.get(0).get("rootHash").asText(), TIME, null);
        forged.put("keyId", Ed25519.keyId(key.getPublic()));
        heads.set(0, forged);

        assertThat(verify().message()).isEqualTo("FAILED at signed tree head 4: its signature does not match its"
                + " content (key " + Ed25519.keyId(key.getPublic()) + ")");
    }

    @Test
    void aRewrittenHeadFails() throws Exception {
        heads.get(1).put("rootHash", heads.get(0).get("rootHash").asText());

        assertThat(verify().message()).startsWith("FAILED at signed tree head 9: its signature does not match");
    }

    @Test
    void aKeyHandedOverByAHeadSignedWithTheOldKeyIsFollowed() throws Exception {
        KeyPair next = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        heads.set(0, signedBy(key, 4, heads.get(0).get("rootHash").asText(), TIME, next));
        heads.set(1, signedBy(next, 9, heads.get(1).get("rootHash").asText(), TIME, null));

        assertThat(verify().message()).isEqualTo("verified 9 events up to tree size 9");
    }

    @Test
    void theOldKeySigningAfterHandingOverFails() throws Exception {
        KeyPair next = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        heads.set(0, signedBy(key, 4, heads.get(0).get("rootHash").asText(), TIME, next));

        assertThat(verify().message()).isEqualTo("FAILED at signed tree head 9: it is signed with key "
                + Ed25519.keyId(key.getPublic()) + ", which handed signing over to another key at tree size 4: an old"
                + " key signing again");
    }

    @Test
    void headsSignedBeforeKeysWereNamedStillVerify() throws Exception {
        for (int i = 0; i < heads.size(); i++) {
            ObjectNode head = heads.get(i);
            head.put("signature", Ed25519.sign(key.getPrivate(), Checkpoints.legacySignedTreeHead(
                    head.get("treeSize").asLong(), head.get("rootHash").asText(), head.get("timestamp").asText())));
        }

        assertThat(verify().message()).isEqualTo("verified 9 events up to tree size 9");
    }

    @Test
    void aHeadDatedBeforeTheSmallerHeadFails() throws Exception {
        heads.set(1, signedBy(key, 9, heads.get(1).get("rootHash").asText(), "2026-11-29T09:00:00Z", null));

        assertThat(verify().message()).isEqualTo("FAILED at signed tree head 9: it is dated 2026-11-29T09:00:00Z, before"
                + " the head of size 4 (" + TIME + "): time goes backwards");
    }

    @Test
    void theLedgersHeadsConsistentWithASavedHeadVerify() throws Exception {
        JsonNode saved = heads.get(0).deepCopy();

        assertThat(verify(saved).message()).isEqualTo("verified 9 events up to tree size 9, consistent with the head"
                + " you saved (size 4)");
    }

    @Test
    void aWholeHistoryRewrittenAndResignedIsCaughtAgainstASavedHead() throws Exception {
        JsonNode saved = heads.get(1).deepCopy();
        build(2); // event 2 changed, every hash, leaf and head made again and signed with the same key

        assertThat(verify().ok()).isTrue();
        assertThat(verify(saved).message()).startsWith("FAILED at the head you saved (size 9, signed " + TIME + "): the"
                + " ledger's head of that size has root " + heads.get(1).get("rootHash").asText() + ", yours "
                + saved.get("rootHash").asText() + ": the history was rewritten since you saved it");
    }

    @Test
    void aSavedHeadOfASizeTheLedgerNoLongerServesIsCheckedAgainstTheEvents() throws Exception {
        build(2);
        JsonNode original = heads.get(0).deepCopy();
        build(-1);
        heads.remove(0); // the rewritten ledger no longer serves a head of size 4

        assertThat(verify(original).message()).startsWith("FAILED at the head you saved (size 4): the events' tree has"
                + " root ").endsWith(": the history was rewritten since you saved this head");
    }

    @Test
    void aLedgerFallenBehindASavedHeadFails() throws Exception {
        JsonNode saved = heads.get(1).deepCopy();
        heads.remove(1);

        assertThat(verify(saved).message()).isEqualTo("FAILED at the head you saved (size 9, signed " + TIME + "): the"
                + " ledger's latest head is of size 4, smaller than the head you saved: signed heads were withdrawn and"
                + " the tree has gone back");
    }

    @Test
    void aSavedHeadSignedWithAKeyTheLedgerDoesNotUseFails() throws Exception {
        KeyPair earlier = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        ObjectNode saved = signedBy(earlier, 4, heads.get(0).get("rootHash").asText(), TIME, null);
        heads.remove(0);

        assertThat(verify(saved).message()).startsWith("FAILED at the head you saved (size 4): it is signed with key "
                + Ed25519.keyId(earlier.getPublic()) + " but the ledger's key is " + Ed25519.keyId(key.getPublic()));
    }

    @Test
    void eventsRecordedAfterTheLastLeafAreReportedNotCovered() throws Exception {
        events.get(8).putNull("treeIndex");
        heads.remove(1);

        assertThat(verify().ok()).isTrue();
        assertThat(verify().message()).isEqualTo("verified 9 events up to tree size 4; 1 recorded after the last leaf,"
                + " not yet in the tree; 4 leaves beyond the last signed head");
    }

    private LedgerVerifier.Result verify() throws Exception {
        return verify(null);
    }

    private LedgerVerifier.Result verify(JsonNode savedHead) throws Exception {
        Path export = dir.resolve("ledger.ndjson");
        StringBuilder lines = new StringBuilder();
        for (ObjectNode event : events) {
            lines.append(JSON.writeValueAsString(event)).append('\n');
        }
        Files.writeString(export, lines, StandardCharsets.UTF_8);
        ObjectNode checkpoints = JSON.createObjectNode();
        ArrayNode list = checkpoints.putArray("checkpoints");
        heads.forEach(list::add);
        JsonNode publicKey = JSON.createObjectNode()
                .put("publicKey", Base64.getEncoder().encodeToString(key.getPublic().getEncoded()));
        return LedgerVerifier.verify(export, checkpoints, publicKey, savedHead);
    }

    private ObjectNode head(long size, String root) {
        return signedBy(key, size, root, TIME, null);
    }

    private static ObjectNode signedBy(KeyPair signer, long size, String root, String timestamp, KeyPair next) {
        String keyId = Ed25519.keyId(signer.getPublic());
        String nextKey = next == null ? null : Ed25519.base64(next.getPublic());
        ObjectNode head = JSON.createObjectNode();
        head.put("treeSize", size);
        head.put("rootHash", root);
        head.put("timestamp", timestamp);
        head.put("keyId", keyId);
        if (nextKey != null) {
            head.put("nextKey", nextKey);
        }
        head.put("signature", Ed25519.sign(signer.getPrivate(),
                Checkpoints.signedTreeHead(size, root, timestamp, keyId, nextKey)));
        return head;
    }
}
