package org.convergenceledger.events.canonical;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the ledger's Merkle tree and its signed heads commit to, defined once for the ledger and its verifier:
 * a leaf is the canonical JSON {"eventHash", "eventId", "globalSequence"}; a signed tree head signs (Ed25519) the
 * canonical JSON {"rootHash", "timestamp", "treeSize"}.
 */
public final class Checkpoints {

    private Checkpoints() {
    }

    public static byte[] leafData(long globalSequence, String eventId, String eventHash) {
        ObjectNode leaf = JsonNodeFactory.instance.objectNode();
        leaf.put("globalSequence", globalSequence);
        leaf.put("eventId", eventId);
        leaf.put("eventHash", eventHash);
        return CanonicalJson.encode(leaf);
    }

    public static byte[] signedTreeHead(long treeSize, String rootHash, String timestamp) {
        ObjectNode head = JsonNodeFactory.instance.objectNode();
        head.put("treeSize", treeSize);
        head.put("rootHash", rootHash);
        head.put("timestamp", timestamp);
        return CanonicalJson.encode(head);
    }
}
