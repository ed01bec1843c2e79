package org.convergenceledger.command.audit;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.convergenceledger.command.system.Caller;
import org.convergenceledger.command.system.InvalidInput;
import org.convergenceledger.command.system.NotFound;
import org.convergenceledger.command.system.NotPermitted;
import org.convergenceledger.events.canonical.Checkpoints;
import org.convergenceledger.events.canonical.Ed25519;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Witnesses and their co-signatures. An administrator registers a witness's public key; the witness (the verifier
 * jar's {@code witness} command, run by someone else) then posts a co-signature for each head it has checked. The
 * ledger keeps only co-signatures that verify with a registered witness's key over the head it holds, and serves
 * them beside its heads: a head co-signed by a witness cannot later be replaced without that witness's saved copy
 * showing it.
 */
@RestController
class Witnesses {

    record WitnessRegistration(String name, String publicKey) {
    }

    record RegisteredWitness(String keyId, String name, String publicKey, String registeredBy, String registeredAt) {
    }

    record Cosignature(String witnessKeyId, String witnessedAt, String signature) {
    }

    private final JdbcTemplate jdbc;
    private final TreeHeads heads;

    Witnesses(JdbcTemplate jdbc, TreeHeads heads) {
        this.jdbc = jdbc;
        this.heads = heads;
    }

    @PostMapping("/api/admin/witnesses")
    ResponseEntity<RegisteredWitness> register(@RequestBody WitnessRegistration registration) {
        List<InvalidInput.FieldViolation> violations = new ArrayList<>();
        if (registration.name() == null || registration.name().isBlank() || registration.name().length() > 200) {
            violations.add(new InvalidInput.FieldViolation("name", "must be 1 to 200 characters"));
        }
        String keyId = null;
        try {
            keyId = Ed25519.keyId(Ed25519.publicKey(String.valueOf(registration.publicKey())));
        } catch (IllegalArgumentException unreadable) {
            violations.add(new InvalidInput.FieldViolation("publicKey",
                    "must be a base64 X.509 Ed25519 public key (as `java -jar verifier.jar keygen` prints)"));
        }
        if (!violations.isEmpty()) {
            throw new InvalidInput(violations);
        }
        String registeredBy = Caller.current().map(Caller::keyId).orElse("unknown");
        jdbc.update("INSERT INTO witness (key_id, name, public_key, registered_by) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT (key_id) DO UPDATE SET name = excluded.name", keyId, registration.name().strip(),
                registration.publicKey().strip(), registeredBy);
        return ResponseEntity.status(HttpStatus.CREATED).location(URI.create("/api/audit/witnesses"))
                .body(witness(keyId));
    }

    @GetMapping("/api/audit/witnesses")
    List<RegisteredWitness> witnesses() {
        return jdbc.query("SELECT key_id, name, public_key, registered_by, registered_at::text FROM witness "
                + "ORDER BY registered_at", (row, n) -> new RegisteredWitness(row.getString(1), row.getString(2),
                row.getString(3), row.getString(4), row.getString(5)));
    }

    /** A witness's co-signature of the head of this size: kept if it verifies, refused with the reason if not. */
    @PostMapping("/api/audit/checkpoints/{treeSize}/cosignatures")
    ResponseEntity<Cosignature> cosign(@PathVariable long treeSize, @RequestBody Cosignature cosignature) {
        List<InvalidInput.FieldViolation> missing = new ArrayList<>();
        if (cosignature == null || cosignature.witnessKeyId() == null || cosignature.witnessKeyId().isBlank()) {
            missing.add(new InvalidInput.FieldViolation("witnessKeyId", "must be given"));
        }
        if (cosignature == null || cosignature.witnessedAt() == null || cosignature.witnessedAt().isBlank()) {
            missing.add(new InvalidInput.FieldViolation("witnessedAt", "must be given"));
        }
        if (cosignature == null || cosignature.signature() == null || cosignature.signature().isBlank()) {
            missing.add(new InvalidInput.FieldViolation("signature", "must be given"));
        }
        if (!missing.isEmpty()) {
            throw new InvalidInput(missing);
        }
        TreeHeads.TreeHead head = heads.ofSize(treeSize).orElseThrow(() -> new NotFound("tree head",
                Long.toString(treeSize), "no signed tree head of size " + treeSize));
        List<String> key = jdbc.queryForList("SELECT public_key FROM witness WHERE key_id = ?", String.class,
                String.valueOf(cosignature.witnessKeyId()));
        if (key.isEmpty()) {
            throw new NotPermitted("witness key " + cosignature.witnessKeyId() + " is not registered: an"
                    + " administrator registers witnesses (POST /api/admin/witnesses)");
        }
        if (!Ed25519.verify(Ed25519.publicKey(key.get(0)), cosignature.signature(), Checkpoints.cosignature(
                        treeSize, head.rootHash(), cosignature.witnessedAt(), cosignature.witnessKeyId()))) {
            throw new InvalidInput(List.of(new InvalidInput.FieldViolation("signature", "does not verify with witness"
                    + " key " + cosignature.witnessKeyId() + " over this head (size " + treeSize + ", root "
                    + head.rootHash() + ")")));
        }
        jdbc.update("INSERT INTO head_cosignature (tree_size, witness_key_id, witnessed_at, signature) "
                + "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING", treeSize, cosignature.witnessKeyId(),
                cosignature.witnessedAt(), cosignature.signature());
        return ResponseEntity.status(HttpStatus.CREATED).body(cosignature);
    }

    /** The co-signatures of these heads, by tree size. */
    Map<Long, List<Cosignature>> of(Collection<Long> treeSizes) {
        Map<Long, List<Cosignature>> bySize = new HashMap<>();
        if (treeSizes.isEmpty()) {
            return bySize;
        }
        Long[] sizes = treeSizes.toArray(Long[]::new);
        jdbc.query("SELECT tree_size, witness_key_id, witnessed_at, signature FROM head_cosignature "
                        + "WHERE tree_size = ANY (?) ORDER BY tree_size, witness_key_id",
                statement -> statement.setArray(1, statement.getConnection().createArrayOf("bigint", sizes)),
                row -> {
                    bySize.computeIfAbsent(row.getLong(1), size -> new ArrayList<>()).add(
                            new Cosignature(row.getString(2), row.getString(3), row.getString(4)));
                });
        return bySize;
    }

    private RegisteredWitness witness(String keyId) {
        return witnesses().stream().filter(witness -> witness.keyId().equals(keyId)).findFirst().orElseThrow();
    }
}
