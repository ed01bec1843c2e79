package org.convergenceledger.command.audit;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import org.convergenceledger.events.canonical.Checkpoints;
import org.convergenceledger.events.canonical.EventHash;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Signs tree heads with Ed25519 (in the JDK). The key comes from ledger.audit.signing-key (a base64 PKCS#8
 * private key) or, for the demo, is generated on first run and kept in the database. What is signed is the
 * canonical JSON {"rootHash", "timestamp", "treeSize"}, so a verifier rebuilds it from the published head.
 */
@Component
class TreeHeadSigner {

    private static final Logger log = LoggerFactory.getLogger(TreeHeadSigner.class);

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final String keyId;

    TreeHeadSigner(JdbcTemplate jdbc, @Value("${ledger.audit.signing-key:}") String configuredKey)
            throws GeneralSecurityException {
        KeyFactory ed25519 = KeyFactory.getInstance("Ed25519");
        if (!configuredKey.isBlank()) {
            privateKey = ed25519.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(configuredKey)));
            publicKey = publicKeyOf(jdbc, ed25519, privateKey);
        } else {
            List<byte[][]> stored = jdbc.query("SELECT private_key, public_key FROM signing_key ORDER BY created_at LIMIT 1",
                    (row, n) -> new byte[][] {row.getBytes(1), row.getBytes(2)});
            if (stored.isEmpty()) {
                KeyPair generated = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
                privateKey = generated.getPrivate();
                publicKey = generated.getPublic();
                jdbc.update("INSERT INTO signing_key (key_id, private_key, public_key) VALUES (?, ?, ?)",
                        keyId(publicKey), privateKey.getEncoded(), publicKey.getEncoded());
                log.warn("No ledger.audit.signing-key configured: generated Ed25519 key {} for this demo ledger",
                        keyId(publicKey));
            } else {
                privateKey = ed25519.generatePrivate(new PKCS8EncodedKeySpec(stored.get(0)[0]));
                publicKey = ed25519.generatePublic(new X509EncodedKeySpec(stored.get(0)[1]));
            }
        }
        keyId = keyId(publicKey);
    }

    /** A configured private key must come with its public key in the table, published once by an operator. */
    private static PublicKey publicKeyOf(JdbcTemplate jdbc, KeyFactory ed25519, PrivateKey key)
            throws GeneralSecurityException {
        List<byte[]> stored = jdbc.query("SELECT public_key FROM signing_key", (row, n) -> row.getBytes(1));
        for (byte[] candidate : stored) {
            PublicKey publicKey = ed25519.generatePublic(new X509EncodedKeySpec(candidate));
            if (verify(publicKey, sign(key, new byte[] {1}), new byte[] {1})) {
                return publicKey;
            }
        }
        throw new IllegalStateException("ledger.audit.signing-key is set but its public key is not in signing_key");
    }

    String keyId() {
        return keyId;
    }

    String publicKeyBase64() {
        return Base64.getEncoder().encodeToString(publicKey.getEncoded());
    }

    String sign(long treeSize, String rootHash, String timestamp) {
        try {
            return Base64.getEncoder().encodeToString(sign(privateKey, Checkpoints.signedTreeHead(treeSize, rootHash, timestamp)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign tree head", e);
        }
    }

    boolean verify(long treeSize, String rootHash, String timestamp, String signature) {
        try {
            return verify(publicKey, Base64.getDecoder().decode(signature), Checkpoints.signedTreeHead(treeSize, rootHash, timestamp));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] sign(PrivateKey key, byte[] data) throws GeneralSecurityException {
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(key);
        signer.update(data);
        return signer.sign();
    }

    private static boolean verify(PublicKey key, byte[] signature, byte[] data) throws GeneralSecurityException {
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(key);
        verifier.update(data);
        return verifier.verify(signature);
    }

    private static String keyId(PublicKey key) {
        return EventHash.sha256(key.getEncoded()).substring(0, 16);
    }
}
