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
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.convergenceledger.events.canonical.Checkpoints;
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

    @TempDir
    Path dir;

    private KeyPair key;
    private List<ObjectNode> events;
    private List<ObjectNode> heads;

    @BeforeEach
    void buildALedger() throws Exception {
        key = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
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
            event.putObject("payload").put("activityId", aggregate).put("step", i);
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

    @Test
    void theWholeExportVerifies() throws Exception {
        assertThat(verify()).isEqualTo(new LedgerVerifier.Result(true, "verified 9 events up to tree size 9"));
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
    void aHeadSignedWithAnotherKeyFails() throws Exception {
        KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        heads.set(0, signedBy(other, 4, heads.get(0).get("rootHash").asText()));

        assertThat(verify().message()).isEqualTo("FAILED at signed tree head 4: the signature does not match");
    }

    @Test
    void eventsRecordedAfterTheLastLeafAreReportedNotCovered() throws Exception {
        events.get(8).putNull("treeIndex");
        heads.remove(1);

        assertThat(verify()).isEqualTo(new LedgerVerifier.Result(true, "verified 9 events up to tree size 4; 1 recorded"
                + " after the last leaf, not yet in the tree; 4 leaves beyond the last signed head"));
    }

    private LedgerVerifier.Result verify() throws Exception {
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
        return LedgerVerifier.verify(export, checkpoints, publicKey);
    }

    private ObjectNode head(long size, String root) throws Exception {
        return signedBy(key, size, root);
    }

    private static ObjectNode signedBy(KeyPair signer, long size, String root) throws Exception {
        String timestamp = "2026-11-29T10:01:00Z";
        Signature signature = Signature.getInstance("Ed25519");
        signature.initSign(signer.getPrivate());
        signature.update(Checkpoints.signedTreeHead(size, root, timestamp));
        ObjectNode head = JSON.createObjectNode();
        head.put("treeSize", size);
        head.put("rootHash", root);
        head.put("timestamp", timestamp);
        head.put("signature", Base64.getEncoder().encodeToString(signature.sign()));
        return head;
    }
}
