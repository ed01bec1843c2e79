package org.convergenceledger.events.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.convergenceledger.events.canonical.Checkpoints;
import org.convergenceledger.events.canonical.Ed25519;
import org.convergenceledger.events.canonical.KeyChain;
import org.convergenceledger.events.canonical.Merkle;
import org.convergenceledger.events.json.LedgerJson;

/**
 * A witness, run by someone other than the ledger's operator: {@code java -jar verifier.jar witness --ledger URL
 * --key WITNESS-KEY.pem --state DIR}. It follows the ledger's signed tree heads over HTTP, and for each new one
 * checks that the key whose turn it is signed it, that its time does not go back, and — with the ledger's RFC 9162
 * consistency proof — that its tree extends the last head the witness accepted. It then keeps the head
 * ({@code heads.ndjson}), co-signs it with its own key ({@code latest.json}: the head with the co-signature, usable
 * as the verifier's --trusted-head) and hands the co-signature to the ledger, which serves it beside the head.
 *
 * <p>A history rewritten after the witness saw a head fails the next consistency check, even if the operator
 * re-signed everything: the witness then co-signs nothing more, writes the evidence ({@code alarm.json}: the head
 * it held, the head offered, why they disagree) and exits with status 3. Its saved heads and co-signatures let
 * anyone else show the same.
 *
 * <p>Trust starts on first contact: the ledger's keys are taken from --ledger-key (a saved /api/audit/public-key)
 * or, if not given, fetched once and pinned in the state directory.
 */
public final class Witness {

    private static final ObjectMapper JSON = LedgerJson.newObjectMapper();
    public static final int ALARM = 3;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String ledger;
    private final KeyPair key;
    private final String keyId;
    private final Path state;
    private final Map<String, PublicKey> ledgerKeys = new HashMap<>();
    private JsonNode last;
    private KeyChain chain;

    Witness(String ledger, KeyPair key, Path state) {
        this.ledger = ledger.replaceAll("/+$", "");
        this.key = key;
        this.keyId = Ed25519.keyId(key.getPublic());
        this.state = state;
    }

    public static int run(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        boolean once = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--once")) {
                once = true;
            } else if (args[i].startsWith("--") && i + 1 < args.length) {
                options.put(args[i], args[++i]);
            } else {
                System.err.println("unexpected argument " + args[i]);
                return 2;
            }
        }
        if (!options.containsKey("--ledger") || !options.containsKey("--key") || !options.containsKey("--state")) {
            System.err.println("usage: java -jar verifier.jar witness --ledger URL --key KEY.pem --state DIR"
                    + " [--ledger-key PUBLIC-KEY.json] [--every SECONDS] [--once]");
            return 2;
        }
        Witness witness = new Witness(options.get("--ledger"), Ed25519.readKeyFile(Path.of(options.get("--key"))),
                Path.of(options.get("--state")));
        witness.start(options.containsKey("--ledger-key") ? Path.of(options.get("--ledger-key")) : null);
        long every = Long.parseLong(options.getOrDefault("--every", "10"));
        while (true) {
            String alarm;
            try {
                alarm = witness.followOnce();
            } catch (IOException | RuntimeException unreachable) {
                System.err.println(Instant.now() + " ledger not reachable: " + unreachable.getMessage());
                alarm = null;
                if (once) {
                    return 1;
                }
            }
            if (alarm != null) {
                System.err.println("ALARM: " + alarm + " (evidence in " + witness.state.resolve("alarm.json") + ")");
                return ALARM;
            }
            if (once) {
                return 0;
            }
            Thread.sleep(every * 1000);
        }
    }

    /** Loads the pinned keys and the last accepted head from the state directory, pinning the keys if new. */
    void start(Path ledgerKeyFile) throws IOException, InterruptedException {
        Files.createDirectories(state);
        Path pinned = state.resolve("ledger-keys.json");
        JsonNode keys;
        if (Files.exists(pinned)) {
            keys = JSON.readTree(pinned.toFile());
        } else {
            keys = ledgerKeyFile != null ? JSON.readTree(ledgerKeyFile.toFile()) : get("/api/audit/public-key");
            JSON.writerWithDefaultPrettyPrinter().writeValue(pinned.toFile(), keys);
        }
        ledgerKeys.put(keys.path("keyId").asText(), Ed25519.publicKey(keys.path("publicKey").asText()));
        keys.path("keys").forEach(known -> ledgerKeys.put(known.path("keyId").asText(),
                Ed25519.publicKey(known.path("publicKey").asText())));
        Path latest = state.resolve("latest.json");
        if (Files.exists(latest)) {
            last = JSON.readTree(latest.toFile());
            chain = chainAfter(last);
        }
    }

    /** Checks and co-signs every head the ledger signed since the last one accepted. Returns an alarm, or null. */
    String followOnce() throws IOException, InterruptedException {
        JsonNode latest = get("/api/audit/checkpoints/latest");
        if (latest == null) {
            return null;
        }
        if (last != null) {
            long lastSize = last.path("treeSize").asLong();
            long size = latest.path("treeSize").asLong();
            if (size < lastSize || size == lastSize && !sameHead(latest, last)) {
                return alarm(latest, "the ledger's latest head (size " + size + ", root "
                        + latest.path("rootHash").asText() + ") does not extend the head of size " + lastSize
                        + " (root " + last.path("rootHash").asText() + ") this witness accepted at "
                        + last.path("witnessedAt").asText(""), null);
            }
            if (size == lastSize) {
                return null;
            }
        }
        List<JsonNode> heads = new ArrayList<>();
        if (last == null) {
            heads.add(latest);
        } else {
            get("/api/audit/checkpoints?after=" + last.path("treeSize").asLong()).path("checkpoints")
                    .forEach(heads::add);
        }
        for (JsonNode head : heads) {
            String alarm = accept(head);
            if (alarm != null) {
                return alarm;
            }
        }
        return null;
    }

    private String accept(JsonNode head) throws IOException, InterruptedException {
        if (chain == null) {
            PublicKey signer = ledgerKeys.get(head.path("keyId").asText());
            if (signer == null) {
                return alarm(head, "the first head seen is signed with key " + head.path("keyId").asText()
                        + ", not one of the ledger's pinned keys " + ledgerKeys.keySet(), null);
            }
            chain = new KeyChain(signer);
        }
        String keyProblem = chain.check(head);
        if (keyProblem != null) {
            return alarm(head, "head " + head.path("treeSize").asLong() + ": " + keyProblem, null);
        }
        JsonNode proof = null;
        if (last != null) {
            if (Instant.parse(head.path("timestamp").asText()).isBefore(Instant.parse(last.path("timestamp").asText()))) {
                return alarm(head, "head " + head.path("treeSize").asLong() + " is dated " + head.path("timestamp")
                        .asText() + ", before the head of size " + last.path("treeSize").asLong() + " ("
                        + last.path("timestamp").asText() + "): time goes backwards", null);
            }
            proof = get("/api/audit/proofs/consistency?from=" + last.path("treeSize").asLong() + "&to="
                    + head.path("treeSize").asLong());
            List<byte[]> path = new ArrayList<>();
            proof.path("proof").forEach(hash -> path.add(HexFormat.of().parseHex(hash.asText())));
            if (!Merkle.verifyConsistency(last.path("treeSize").asLong(), head.path("treeSize").asLong(),
                    HexFormat.of().parseHex(last.path("rootHash").asText()),
                    HexFormat.of().parseHex(head.path("rootHash").asText()), path)) {
                return alarm(head, "the ledger's head of size " + head.path("treeSize").asLong()
                        + " is not consistent with the head of size " + last.path("treeSize").asLong() + " (root "
                        + last.path("rootHash").asText() + ") this witness accepted at "
                        + last.path("witnessedAt").asText("") + ": the history was rewritten", proof);
            }
        }
        String witnessedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
        ObjectNode cosignature = JSON.createObjectNode();
        cosignature.put("witnessKeyId", keyId);
        cosignature.put("witnessedAt", witnessedAt);
        cosignature.put("signature", Ed25519.sign(key.getPrivate(), Checkpoints.cosignature(
                head.path("treeSize").asLong(), head.path("rootHash").asText(), witnessedAt, keyId)));
        ObjectNode kept = ((ObjectNode) head.deepCopy());
        kept.remove("cosignatures");
        kept.put("witnessedAt", witnessedAt);
        kept.set("cosignatures", JSON.createArrayNode().add(cosignature));
        Files.writeString(state.resolve("heads.ndjson"), JSON.writeValueAsString(kept) + "\n",
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        write(state.resolve("latest.json"), kept);
        last = kept;
        post("/api/audit/checkpoints/" + head.path("treeSize").asLong() + "/cosignatures", cosignature);
        System.out.println(witnessedAt + " co-signed head " + head.path("treeSize").asLong() + " "
                + head.path("rootHash").asText());
        return null;
    }

    /** The chain as it stands after an accepted head: its key, or the key it handed over to. */
    private KeyChain chainAfter(JsonNode head) {
        if (head.hasNonNull("nextKey")) {
            return new KeyChain(Ed25519.publicKey(head.get("nextKey").asText()));
        }
        PublicKey signer = ledgerKeys.get(head.path("keyId").asText());
        if (signer == null) {
            throw new IllegalStateException("the last accepted head's key " + head.path("keyId").asText()
                    + " is not among the pinned keys");
        }
        return new KeyChain(signer);
    }

    private String alarm(JsonNode offered, String reason, JsonNode proof) throws IOException {
        ObjectNode evidence = JSON.createObjectNode();
        evidence.put("reason", reason);
        evidence.put("raisedAt", Instant.now().toString());
        evidence.set("acceptedHead", last);
        evidence.set("offeredHead", offered);
        evidence.set("consistencyProof", proof);
        write(state.resolve("alarm.json"), evidence);
        return reason;
    }

    private static boolean sameHead(JsonNode one, JsonNode other) {
        return one.path("rootHash").asText().equals(other.path("rootHash").asText())
                && one.path("signature").asText().equals(other.path("signature").asText());
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(ledger + path))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
            return null;
        }
        if (response.statusCode() != 200) {
            throw new IOException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private void post(String path, JsonNode body) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(ledger + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            System.err.println("the ledger did not take the co-signature of " + path + ": " + response.statusCode()
                    + " " + response.body());
        }
    }

    private static void write(Path file, JsonNode content) throws IOException {
        Path written = file.resolveSibling(file.getFileName() + ".new");
        JSON.writerWithDefaultPrettyPrinter().writeValue(written.toFile(), content);
        Files.move(written, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
