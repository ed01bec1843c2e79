package org.convergenceledger.events.canonical;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.PublicKey;

/**
 * What the ledger's Merkle tree and its signed heads commit to, defined once for the ledger, its verifier and its
 * witnesses: a leaf is the canonical JSON {"eventHash", "eventId", "globalSequence"}; a signed tree head signs
 * (Ed25519) the canonical JSON {"keyId", "nextKey"?, "rootHash", "timestamp", "treeSize"} — the key is named so a
 * head cannot be passed off as another key's, and "nextKey" (a base64 public key) is present only on the head that
 * hands signing over to a new key. Heads signed before keys were named signed {"rootHash", "timestamp",
 * "treeSize"}; they are still accepted, as their signature binds the same tree. A witness co-signs the canonical
 * JSON {"rootHash", "treeSize", "witnessedAt", "witnessKeyId"}.
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

    public static byte[] signedTreeHead(long treeSize, String rootHash, String timestamp, String keyId,
                                        String nextKey) {
        ObjectNode head = JsonNodeFactory.instance.objectNode();
        head.put("treeSize", treeSize);
        head.put("rootHash", rootHash);
        head.put("timestamp", timestamp);
        head.put("keyId", keyId);
        if (nextKey != null) {
            head.put("nextKey", nextKey);
        }
        return CanonicalJson.encode(head);
    }

    /** Whether a head as published (JSON with treeSize, rootHash, timestamp, keyId, nextKey?, signature) holds. */
    public static boolean signatureHolds(PublicKey key, JsonNode head) {
        long size = head.path("treeSize").asLong();
        String root = head.path("rootHash").asText();
        String timestamp = head.path("timestamp").asText();
        String signature = head.path("signature").asText();
        String nextKey = head.hasNonNull("nextKey") ? head.get("nextKey").asText() : null;
        return Ed25519.verify(key, signature, signedTreeHead(size, root, timestamp, head.path("keyId").asText(),
                nextKey))
                || nextKey == null && Ed25519.verify(key, signature, legacySignedTreeHead(size, root, timestamp));
    }

    public static byte[] cosignature(long treeSize, String rootHash, String witnessedAt, String witnessKeyId) {
        ObjectNode cosigned = JsonNodeFactory.instance.objectNode();
        cosigned.put("treeSize", treeSize);
        cosigned.put("rootHash", rootHash);
        cosigned.put("witnessedAt", witnessedAt);
        cosigned.put("witnessKeyId", witnessKeyId);
        return CanonicalJson.encode(cosigned);
    }

    /** The message heads were signed over before they named their key. */
    public static byte[] legacySignedTreeHead(long treeSize, String rootHash, String timestamp) {
        ObjectNode head = JsonNodeFactory.instance.objectNode();
        head.put("treeSize", treeSize);
        head.put("rootHash", rootHash);
        head.put("timestamp", timestamp);
        return CanonicalJson.encode(head);
    }
}
