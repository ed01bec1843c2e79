package org.convergenceledger.events.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * API keys: "cl_" + a public key id + "_" + a 256-bit random secret. Only a salted SHA-256 of the secret is ever
 * recorded (in ApiKeyIssued), so both services can check a presented key against the ledger's own facts and
 * nobody, the database's operators included, can recover a key from what is stored. A slow password hash would add
 * nothing against guessing 256 random bits and would cost every request milliseconds.
 */
public final class Credentials {

    /** What the holder receives once: the key to send as "Authorization: Bearer ...", and what is recorded. */
    public record Issued(String keyId, String apiKey, String credentialHash) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern KEY = Pattern.compile("cl_([0-9a-f]{12})_([A-Za-z0-9_-]{43})");
    private static final Pattern HASH = Pattern.compile("sha256:([A-Za-z0-9_-]{22}):([0-9a-f]{64})");

    private Credentials() {
    }

    public static Issued issue() {
        String keyId = HexFormat.of().formatHex(random(6));
        String secret = base64(random(32));
        String salt = base64(random(16));
        return new Issued(keyId, "cl_" + keyId + "_" + secret, "sha256:" + salt + ":" + digest(salt, secret));
    }

    /** The key id a presented key claims, if it has the shape of a key at all. */
    public static Optional<String> keyIdOf(String apiKey) {
        Matcher key = apiKey == null ? null : KEY.matcher(apiKey);
        return key != null && key.matches() ? Optional.of(key.group(1)) : Optional.empty();
    }

    /** True when the presented key is the one the recorded hash was made from; compared in constant time. */
    public static boolean matches(String apiKey, String credentialHash) {
        Matcher key = apiKey == null ? null : KEY.matcher(apiKey);
        Matcher hash = credentialHash == null ? null : HASH.matcher(credentialHash);
        if (key == null || !key.matches() || hash == null || !hash.matches()) {
            return false;
        }
        return MessageDigest.isEqual(digest(hash.group(1), key.group(2)).getBytes(StandardCharsets.US_ASCII),
                hash.group(2).getBytes(StandardCharsets.US_ASCII));
    }

    public static boolean isCredentialHash(String text) {
        return text != null && HASH.matcher(text).matches();
    }

    private static String digest(String salt, String secret) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(salt.getBytes(StandardCharsets.US_ASCII));
            sha256.update((byte) ':');
            sha256.update(secret.getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    private static byte[] random(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return random;
    }

    private static String base64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
