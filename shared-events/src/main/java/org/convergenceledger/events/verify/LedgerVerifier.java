package org.convergenceledger.events.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.convergenceledger.events.canonical.Checkpoints;
import org.convergenceledger.events.canonical.EventHash;
import org.convergenceledger.events.canonical.Merkle;
import org.convergenceledger.events.canonical.MerkleNodes;
import org.convergenceledger.events.json.LedgerJson;

/**
 * The auditor's verifier, run on their own machine with nothing but a JDK:
 * {@code java -jar shared-events-<version>-verifier.jar EXPORT.ndjson CHECKPOINTS.json PUBLIC-KEY.json}, the three
 * files as GET /api/audit/export, /api/audit/checkpoints and /api/audit/public-key give them. It recomputes every
 * event's hash from its content, every link to the previous event of its activity, the Merkle tree over the events
 * in tree order, and checks every signed tree head against that tree and the public key. Nothing may be missing:
 * every activity's chain starts at event 0, the leaves run 0..n-1 without a hole or a leaf claimed twice, and every
 * head given must be covered by the export (a head beyond its end means the end was cut off). It prints "verified N
 * events up to tree size S" or the first event (or head) that fails and why, and exits 0 or 1.
 */
public final class LedgerVerifier {

    /** The outcome: ok, or the first failure found. */
    public record Result(boolean ok, String message) {
    }

    private static final ObjectMapper JSON = LedgerJson.newObjectMapper();

    private LedgerVerifier() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: java -jar verifier.jar EXPORT.ndjson CHECKPOINTS.json PUBLIC-KEY.json");
            System.exit(2);
        }
        Result result = verify(Path.of(args[0]), JSON.readTree(Path.of(args[1]).toFile()),
                JSON.readTree(Path.of(args[2]).toFile()));
        System.out.println(result.message());
        System.exit(result.ok() ? 0 : 1);
    }

    public static Result verify(Path export, JsonNode checkpoints, JsonNode publicKey) throws IOException {
        Map<String, long[]> lastSequence = new HashMap<>();
        Map<String, String> lastHash = new HashMap<>();
        TreeMap<Long, byte[]> pendingLeaves = new TreeMap<>();
        Map<Long, Long> leafOwners = new HashMap<>();
        MerkleNodes tree = new MerkleNodes();
        long events = 0;
        long outsideTree = 0;
        try (BufferedReader lines = Files.newBufferedReader(export, StandardCharsets.UTF_8)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode event = JSON.readTree(line);
                events++;
                String problem = check(event, lastSequence, lastHash);
                if (problem == null && event.hasNonNull("treeIndex")) {
                    long index = event.get("treeIndex").asLong();
                    Long owner = leafOwners.putIfAbsent(index, event.path("globalSequence").asLong());
                    if (owner != null) {
                        problem = "it claims tree leaf " + index + ", which the event at global sequence " + owner
                                + " already holds";
                    } else {
                        pendingLeaves.put(index, Merkle.leafHash(Checkpoints.leafData(
                                event.path("globalSequence").asLong(), event.path("eventId").asText(),
                                event.path("hash").asText())));
                        while (!pendingLeaves.isEmpty() && pendingLeaves.firstKey() == tree.size()) {
                            tree.append(pendingLeaves.pollFirstEntry().getValue());
                        }
                    }
                } else if (problem == null) {
                    // Recorded after the last leaf was appended: no signed head can cover it yet.
                    outsideTree++;
                }
                if (problem != null) {
                    return new Result(false, "FAILED at global sequence " + event.path("globalSequence").asLong()
                            + " (event " + event.path("eventId").asText() + " of " + event.path("aggregateId").asText()
                            + "): " + problem);
                }
            }
        }
        if (!pendingLeaves.isEmpty()) {
            // Leaves run 0..n-1: one missing in the middle means an event was removed or its treeIndex stripped.
            return new Result(false, "FAILED: tree leaf " + tree.size() + " is missing from the export (it holds leaves"
                    + " up to " + pendingLeaves.lastKey() + "): an event was removed or its treeIndex stripped");
        }
        PublicKey key;
        try {
            key = KeyFactory.getInstance("Ed25519").generatePublic(
                    new X509EncodedKeySpec(Base64.getDecoder().decode(publicKey.path("publicKey").asText())));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return new Result(false, "FAILED: the public key cannot be read: " + e.getMessage());
        }
        long verifiedSize = 0;
        for (JsonNode head : heads(checkpoints)) {
            long size = head.path("treeSize").asLong();
            if (!signatureHolds(key, head)) {
                return new Result(false, "FAILED at signed tree head " + size + ": the signature does not match");
            }
            if (size > tree.size()) {
                // The export must cover every head it is given: otherwise its end was cut off.
                return new Result(false, "FAILED at signed tree head " + size + ": the head covers " + size
                        + " events but the export's tree ends at " + tree.size() + ": events were removed from its end"
                        + " (download the checkpoints before the export)");
            }
            String root = HexFormat.of().formatHex(Merkle.root(size, tree));
            if (!root.equals(head.path("rootHash").asText())) {
                return new Result(false, "FAILED at signed tree head " + size + ": the events' tree has root " + root
                        + ", the signed head says " + head.path("rootHash").asText());
            }
            verifiedSize = Math.max(verifiedSize, size);
        }
        if (verifiedSize == 0) {
            return new Result(false, "FAILED: no signed tree head covers the exported events");
        }
        return new Result(true, "verified " + events + " events up to tree size " + verifiedSize
                + (outsideTree == 0 ? "" : "; " + outsideTree + " recorded after the last leaf, not yet in the tree")
                + (tree.size() > verifiedSize ? "; " + (tree.size() - verifiedSize)
                        + " leaves beyond the last signed head" : ""));
    }

    private static String check(JsonNode event, Map<String, long[]> lastSequence, Map<String, String> lastHash) {
        if (event.has("unreadable")) {
            return "its stored payload or metadata is not JSON: altered";
        }
        String aggregate = event.path("aggregateId").asText();
        long sequence = event.path("aggregateSequence").asLong();
        String hash = event.path("hash").asText(null);
        String previous = event.path("previousHash").asText(null);
        if (hash == null || previous == null) {
            return "not sealed: no hash";
        }
        long[] last = lastSequence.get(aggregate);
        if (last == null && sequence != 0) {
            return "events 0 to " + (sequence - 1) + " of its activity are missing before it: an activity's chain"
                    + " starts at event 0";
        }
        if (last == null && !EventHash.GENESIS.equals(previous)) {
            return "the first event of its activity links to a previous one";
        }
        if (last != null) {
            if (sequence != last[0] + 1) {
                return sequence > last[0] + 1 ? "events " + (last[0] + 1) + " to " + (sequence - 1)
                        + " of its activity are missing before it" : "it comes after event " + last[0]
                        + " of its activity: reordered";
            }
            if (!previous.equals(lastHash.get(aggregate))) {
                return "its link does not match the hash of the previous event of its activity";
            }
        }
        Map<String, String> envelope = new HashMap<>();
        event.path("envelope").fields().forEachRemaining(field -> envelope.put(field.getKey(), field.getValue().asText()));
        String recomputed = EventHash.of(new EventHash.Fields(event.path("eventId").asText(), aggregate, sequence,
                event.path("payloadType").asText(), event.path("recordedAt").asText(), envelope, event.path("payload"),
                previous));
        if (!recomputed.equals(hash)) {
            return "its content does not match its hash (recomputed " + recomputed + ")";
        }
        lastSequence.put(aggregate, new long[] {sequence});
        lastHash.put(aggregate, hash);
        return null;
    }

    private static List<JsonNode> heads(JsonNode checkpoints) {
        List<JsonNode> heads = new ArrayList<>();
        Iterator<JsonNode> items = checkpoints.has("checkpoints") ? checkpoints.get("checkpoints").elements()
                : List.of(checkpoints).iterator();
        items.forEachRemaining(heads::add);
        return heads;
    }

    private static boolean signatureHolds(PublicKey key, JsonNode head) {
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(Checkpoints.signedTreeHead(head.path("treeSize").asLong(),
                    head.path("rootHash").asText(), head.path("timestamp").asText()));
            return verifier.verify(Base64.getDecoder().decode(head.path("signature").asText()));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}
