package org.convergenceledger.command.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.convergenceledger.command.system.InvalidInput;
import org.convergenceledger.events.canonical.Merkle;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The auditors' view of the tree: signed tree heads, the public key that checks them, and proofs — that an event is
 * in the tree a head signs (inclusion), and that a later head extends an earlier one (consistency). Hashes are hex.
 */
@RestController
class AuditProofs {

    record InclusionProof(String eventId, long globalSequence, long leafIndex, long treeSize, String eventHash,
                          String leafHash, List<String> auditPath, String rootHash) {
    }

    record ConsistencyProof(long from, long to, String fromRoot, String toRoot, List<String> proof) {
    }

    /** A signed tree head as served: what the ledger signed, and what witnesses co-signed. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ServedHead(long treeSize, String rootHash, String timestamp, String keyId, String nextKey, String signature,
                      List<Witnesses.Cosignature> cosignatures) {
    }

    private final TreeHeads heads;
    private final MerkleStore tree;
    private final TreeHeadSigner signer;
    private final Witnesses witnesses;

    AuditProofs(TreeHeads heads, MerkleStore tree, TreeHeadSigner signer, Witnesses witnesses) {
        this.heads = heads;
        this.tree = tree;
        this.signer = signer;
        this.witnesses = witnesses;
    }

    /**
     * The key signing now, and every key the ledger has used in the order they came into use: a verifier starts
     * from the first and follows the heads that hand signing over ("nextKey").
     */
    @GetMapping("/api/audit/public-key")
    Map<String, Object> publicKey() {
        return Map.of("algorithm", "Ed25519", "keyId", signer.keyId(), "format", "X.509 SubjectPublicKeyInfo, base64",
                "publicKey", signer.publicKeyBase64(), "keys", signer.keys(),
                "signedMessage", "canonical JSON {\"keyId\",\"nextKey\" (only on a head handing over to a new key),"
                        + "\"rootHash\",\"timestamp\",\"treeSize\"} in UTF-8");
    }

    @GetMapping("/api/audit/checkpoints/latest")
    ResponseEntity<ServedHead> latest() {
        return ResponseEntity.of(heads.latest().map(head -> served(List.of(head)).get(0)));
    }

    /** Every head (or one size, or those after a size: 1,000 at a time), each with its witnesses' co-signatures. */
    @GetMapping("/api/audit/checkpoints")
    ResponseEntity<?> checkpoints(@RequestParam(required = false) Long size,
                                  @RequestParam(required = false) Long after) {
        if (size != null) {
            return ResponseEntity.of(heads.ofSize(size).map(head -> served(List.of(head)).get(0)));
        }
        return ResponseEntity.ok(Map.of("checkpoints", served(after == null ? heads.all() : heads.after(after, 1000))));
    }

    private List<ServedHead> served(List<TreeHeads.TreeHead> list) {
        Map<Long, List<Witnesses.Cosignature>> cosignatures = witnesses.of(
                list.stream().map(TreeHeads.TreeHead::treeSize).toList());
        return list.stream().map(head -> new ServedHead(head.treeSize(), head.rootHash(), head.timestamp(),
                head.keyId(), head.nextKey(), head.signature(),
                cosignatures.getOrDefault(head.treeSize(), List.of()))).toList();
    }

    @GetMapping("/api/audit/proofs/inclusion")
    ResponseEntity<InclusionProof> inclusion(@RequestParam String eventId, @RequestParam long treeSize) {
        requireSignedSize("treeSize", treeSize);
        MerkleStore.Leaf leaf = tree.leafOfEvent(eventId);
        if (leaf == null || leaf.treeIndex() >= treeSize) {
            return ResponseEntity.notFound().build();
        }
        Merkle.Nodes nodes = tree.nodes();
        return ResponseEntity.ok(new InclusionProof(eventId, leaf.globalSequence(), leaf.treeIndex(), treeSize,
                leaf.eventHash(), hex(nodes.node(0, leaf.treeIndex())),
                Merkle.inclusionProof(leaf.treeIndex(), treeSize, nodes).stream().map(AuditProofs::hex).toList(),
                hex(Merkle.root(treeSize, nodes))));
    }

    @GetMapping("/api/audit/proofs/consistency")
    ConsistencyProof consistency(@RequestParam long from, @RequestParam long to) {
        requireSignedSize("from", from);
        requireSignedSize("to", to);
        if (from > to) {
            throw new InvalidInput(List.of(new InvalidInput.FieldViolation("from", "must not be above 'to'")));
        }
        Merkle.Nodes nodes = tree.nodes();
        return new ConsistencyProof(from, to, hex(Merkle.root(from, nodes)), hex(Merkle.root(to, nodes)),
                Merkle.consistencyProof(from, to, nodes).stream().map(AuditProofs::hex).toList());
    }

    /** Proofs are given only against sizes a signed head vouches for, so every proof can be checked to a signature. */
    private void requireSignedSize(String parameter, long size) {
        if (size < 1 || heads.ofSize(size).isEmpty()) {
            throw new InvalidInput(List.of(new InvalidInput.FieldViolation(parameter,
                    "must be the size of a signed tree head (see /api/audit/checkpoints)")));
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
