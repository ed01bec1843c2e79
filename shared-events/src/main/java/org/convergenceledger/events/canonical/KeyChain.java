package org.convergenceledger.events.canonical;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.PublicKey;
import java.util.HashMap;
import java.util.Map;

/**
 * Which key may sign each head, checked in increasing tree size: the first head is signed with the key the checker
 * trusts; a head carrying "nextKey" hands signing over to that key, and from then on only that key may sign. A head
 * signed with any other key — one never announced, or an old key after it handed over — is named as such. Used by
 * the verifier jar, the witness and the ledger's own verification.
 */
public final class KeyChain {

    private final Map<String, PublicKey> keys = new HashMap<>();
    private final Map<String, Long> handedOver = new HashMap<>();
    private final String trustedKeyId;
    private String currentKeyId;

    public KeyChain(PublicKey trusted) {
        trustedKeyId = Ed25519.keyId(trusted);
        keys.put(trustedKeyId, trusted);
    }

    /** The key the next head must be signed with. */
    public String currentKeyId() {
        return currentKeyId == null ? trustedKeyId : currentKeyId;
    }

    /** Null if the head is signed by the key whose turn it is; otherwise what is wrong, in words. */
    public String check(JsonNode head) {
        String keyId = head.path("keyId").asText();
        Long handedOverAt = handedOver.get(keyId);
        if (handedOverAt != null) {
            return "it is signed with key " + keyId + ", which handed signing over to another key at tree size "
                    + handedOverAt + ": an old key signing again";
        }
        if (!keyId.equals(currentKeyId())) {
            return "it is signed with key " + keyId + " but the ledger's key is " + currentKeyId()
                    + ", and no head signed with that key announced " + keyId;
        }
        if (!Checkpoints.signatureHolds(keys.get(keyId), head)) {
            return "its signature does not match its content (key " + keyId + ")";
        }
        currentKeyId = keyId;
        if (head.hasNonNull("nextKey")) {
            PublicKey next;
            try {
                next = Ed25519.publicKey(head.get("nextKey").asText());
            } catch (IllegalArgumentException unreadable) {
                return "it announces a next key that cannot be read: " + unreadable.getMessage();
            }
            handedOver.put(keyId, head.path("treeSize").asLong());
            currentKeyId = Ed25519.keyId(next);
            keys.put(currentKeyId, next);
        }
        return null;
    }
}
