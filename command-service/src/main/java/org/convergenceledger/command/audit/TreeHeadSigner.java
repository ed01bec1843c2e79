package org.convergenceledger.command.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Base64;
import java.util.List;
import org.convergenceledger.events.canonical.Checkpoints;
import org.convergenceledger.events.canonical.Ed25519;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Holds the Ed25519 key that signs tree heads — outside the database: ledger.audit.signing-key (base64 PKCS#8, from
 * LEDGER_SIGNING_KEY) or the PEM file ledger.audit.signing-key-file (created 0600 if missing; local.sh makes one in
 * its state directory). Whoever can write the database can then not sign. The signed message names the key.
 *
 * <p>It also remembers, in a file beside the key, the last head it signed: the store's heads can be deleted or
 * rewritten, this file is the signer's own memory of what it vouched for ({@link TreeHeads} checks every new tree
 * against it). A new key is taken into use by announcing it: with ledger.audit.previous-signing-key-file set to the
 * key that signed the last head, the next head is signed with that old key and names the new one ("nextKey").
 */
@Component
class TreeHeadSigner {

    private static final Logger log = LoggerFactory.getLogger(TreeHeadSigner.class);

    /** The key used for a head, and the key it hands over to (null unless this head announces a rotation). */
    record Signature(String keyId, String nextKey, String signature) {
    }

    private final KeyPair key;
    private final String keyId;
    private final KeyPair previousKey;
    private final Path lastHeadFile;
    private final ObjectMapper json;
    private final JdbcTemplate jdbc;
    private volatile TreeHeads.TreeHead lastSigned;

    TreeHeadSigner(JdbcTemplate jdbc, ObjectMapper json,
                   @Value("${ledger.audit.signing-key:}") String configuredKey,
                   @Value("${ledger.audit.signing-key-file:}") String keyFile,
                   @Value("${ledger.audit.previous-signing-key-file:}") String previousKeyFile) throws IOException {
        this.json = json;
        this.jdbc = jdbc;
        if (!configuredKey.isBlank()) {
            key = Ed25519.fromPkcs8Base64(configuredKey);
            lastHeadFile = null;
        } else {
            Path file = Path.of(keyFile.isBlank() ? "ledger-signing-key.pem" : keyFile).toAbsolutePath();
            key = loadOrCreate(file, jdbc);
            lastHeadFile = file.resolveSibling(file.getFileName() + ".last-head.json");
        }
        keyId = Ed25519.keyId(key.getPublic());
        previousKey = previousKeyFile.isBlank() ? null : Ed25519.readKeyFile(Path.of(previousKeyFile));
        for (KeyPair known : previousKey == null ? List.of(key) : List.of(previousKey, key)) {
            jdbc.update("INSERT INTO signing_key (key_id, public_key) VALUES (?, ?) ON CONFLICT (key_id) DO NOTHING",
                    Ed25519.keyId(known.getPublic()), known.getPublic().getEncoded());
        }
        lastSigned = lastHeadFile != null && Files.exists(lastHeadFile)
                ? json.readValue(lastHeadFile.toFile(), TreeHeads.TreeHead.class) : null;
    }

    /**
     * The key file, made on first start. A key an earlier version kept in the database is moved out into the file
     * (and erased from the table), so that a ledger upgraded in place keeps its key and its heads stay checkable.
     */
    private static KeyPair loadOrCreate(Path file, JdbcTemplate jdbc) throws IOException {
        if (Files.exists(file)) {
            return Ed25519.readKeyFile(file);
        }
        List<byte[]> inDatabase = jdbc.query("SELECT private_key FROM signing_key WHERE private_key IS NOT NULL "
                + "ORDER BY created_at LIMIT 1", (row, n) -> row.getBytes(1));
        KeyPair key = inDatabase.isEmpty() ? Ed25519.generate() : Ed25519.fromPkcs8(inDatabase.get(0));
        Ed25519.writeKeyFile(file, key);
        if (inDatabase.isEmpty()) {
            log.warn("Generated Ed25519 signing key {} in {} (mode 0600): keep it safe, it vouches for the ledger",
                    Ed25519.keyId(key.getPublic()), file);
        } else {
            jdbc.update("UPDATE signing_key SET private_key = NULL");
            log.warn("Moved signing key {} out of the database into {} (mode 0600)", Ed25519.keyId(key.getPublic()),
                    file);
        }
        return key;
    }

    String keyId() {
        return keyId;
    }

    String publicKeyBase64() {
        return Ed25519.base64(key.getPublic());
    }

    /** A public key the ledger has signed with, oldest first. */
    record PublicKeyEntry(String keyId, String publicKey) {
    }

    /** Every key registered, in the order they came into use: the first is where a chain of hand-overs starts. */
    List<PublicKeyEntry> keys() {
        return jdbc.query("SELECT key_id, public_key FROM signing_key ORDER BY created_at, key_id",
                (row, n) -> new PublicKeyEntry(row.getString(1), Base64.getEncoder().encodeToString(row.getBytes(2))));
    }

    PublicKey firstKey() {
        return Ed25519.publicKey(keys().get(0).publicKey());
    }

    /**
     * Signs a head with the key whose turn it is: the key that signed the last head, or the key that head handed
     * over to. If that is this signer's key, it signs; if it is this signer's previous key, the head is signed with
     * that old key and announces this signer's key as the next. Any other key would be a change of key no one
     * announced: refused.
     */
    Signature sign(long treeSize, String rootHash, String timestamp, TreeHeads.TreeHead last) {
        String turn = last == null ? null
                : last.nextKey() != null ? Ed25519.keyId(Ed25519.publicKey(last.nextKey())) : last.keyId();
        if (turn == null || turn.equals(keyId)) {
            return new Signature(keyId, null, Ed25519.sign(key.getPrivate(),
                    Checkpoints.signedTreeHead(treeSize, rootHash, timestamp, keyId, null)));
        }
        if (previousKey != null && turn.equals(Ed25519.keyId(previousKey.getPublic()))) {
            String next = publicKeyBase64();
            return new Signature(turn, next, Ed25519.sign(previousKey.getPrivate(),
                    Checkpoints.signedTreeHead(treeSize, rootHash, timestamp, turn, next)));
        }
        throw new SigningRefused("the last head was signed with key " + turn + " and this signer holds key "
                + keyId + ": a new key must be announced by a head signed with the old one (set"
                + " ledger.audit.previous-signing-key-file to key " + turn + ")");
    }

    /** The last head this signer signed, as it remembers it (null if it has no memory: a key from the environment). */
    TreeHeads.TreeHead lastSigned() {
        return lastSigned;
    }

    void remember(TreeHeads.TreeHead head) {
        lastSigned = head;
        if (lastHeadFile == null) {
            return;
        }
        try {
            // Two instances on one machine may share this file: each writes its own copy, then moves it in whole.
            Path written = lastHeadFile.resolveSibling(lastHeadFile.getFileName() + ".new-"
                    + ProcessHandle.current().pid());
            json.writeValue(written.toFile(), head);
            Files.move(written, lastHeadFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the last signed head in " + lastHeadFile, e);
        }
    }

    /** Why no head can be signed now; shown by health until the tree is back to one that extends the last head. */
    static final class SigningRefused extends RuntimeException {
        SigningRefused(String reason) {
            super(reason);
        }
    }
}
