package org.convergenceledger.events.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.convergenceledger.events.canonical.Checkpoints;
import org.convergenceledger.events.canonical.Ed25519;
import org.convergenceledger.events.activity.ActivityMovedIn;
import org.convergenceledger.events.activity.ActivityRekeyed;
import org.convergenceledger.events.canonical.EventHash;
import org.convergenceledger.events.canonical.KeyChain;
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
    public record Result(boolean ok, String message, JsonNode latestHead) {
    }

    private static final ObjectMapper JSON = LedgerJson.newObjectMapper();

    private LedgerVerifier() {
    }

    private static final String USAGE = """
            usage: java -jar verifier.jar EXPORT.ndjson CHECKPOINTS.json PUBLIC-KEY.json [--trusted-head HEAD.json]
                                          [--save-head HEAD.json]
                   java -jar verifier.jar keygen KEY.pem
                   java -jar verifier.jar witness --ledger URL --key KEY.pem --state DIR [--ledger-key PUBLIC-KEY.json]
                                          [--every SECONDS] [--once]""";

    public static void main(String[] args) throws Exception {
        if (args.length >= 1 && args[0].equals("keygen")) {
            System.exit(keygen(args));
        }
        if (args.length >= 1 && args[0].equals("witness")) {
            System.exit(Witness.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        Map<String, String> options = new HashMap<>();
        List<String> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--") && i + 1 < args.length) {
                options.put(args[i], args[++i]);
            } else {
                files.add(args[i]);
            }
        }
        if (files.size() != 3 || !Set.of("--trusted-head", "--save-head").containsAll(options.keySet())) {
            System.err.println(USAGE);
            System.exit(2);
        }
        JsonNode trustedHead = options.containsKey("--trusted-head")
                ? JSON.readTree(Path.of(options.get("--trusted-head")).toFile()) : null;
        Result result = verify(Path.of(files.get(0)), JSON.readTree(Path.of(files.get(1)).toFile()),
                JSON.readTree(Path.of(files.get(2)).toFile()), trustedHead);
        System.out.println(result.message());
        if (result.ok() && options.containsKey("--save-head")) {
            JSON.writerWithDefaultPrettyPrinter().writeValue(Path.of(options.get("--save-head")).toFile(),
                    result.latestHead());
            System.out.println("saved the head of size " + result.latestHead().path("treeSize").asLong() + " in "
                    + options.get("--save-head") + ": pass it as --trusted-head next time");
        }
        System.exit(result.ok() ? 0 : 1);
    }

    /** Makes an Ed25519 key file (PEM, mode 0600) and prints its public key, for a witness or a ledger signer. */
    private static int keygen(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println(USAGE);
            return 2;
        }
        Path file = Path.of(args[1]);
        if (Files.exists(file)) {
            System.err.println(file + " exists: not overwritten");
            return 1;
        }
        KeyPair key = Ed25519.generate();
        Ed25519.writeKeyFile(file, key);
        System.out.println("{\"keyId\":\"" + Ed25519.keyId(key.getPublic()) + "\",\"publicKey\":\""
                + Ed25519.base64(key.getPublic()) + "\"}");
        return 0;
    }

    public static Result verify(Path export, JsonNode checkpoints, JsonNode publicKey) throws IOException {
        return verify(export, checkpoints, publicKey, null);
    }

    /** As above, and the ledger's heads must be consistent with {@code trustedHead}, saved on an earlier visit. */
    public static Result verify(Path export, JsonNode checkpoints, JsonNode publicKey, JsonNode trustedHead)
            throws IOException {
        Map<String, long[]> lastSequence = new HashMap<>();
        Map<String, String> lastHash = new HashMap<>();
        // Where each activity that moved went, from its ActivityRekeyed: its new stream must start there.
        Map<String, String> movedTo = new HashMap<>();
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
                String problem = check(event, lastSequence, lastHash, movedTo);
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
                            + "): " + problem, null);
                }
            }
        }
        if (!pendingLeaves.isEmpty()) {
            // Leaves run 0..n-1: one missing in the middle means an event was removed or its treeIndex stripped.
            return new Result(false, "FAILED: tree leaf " + tree.size() + " is missing from the export (it holds leaves"
                    + " up to " + pendingLeaves.lastKey() + "): an event was removed or its treeIndex stripped", null);
        }
        PublicKey trusted;
        try {
            trusted = Ed25519.publicKey(firstKey(publicKey));
        } catch (IllegalArgumentException e) {
            return new Result(false, "FAILED: the public key cannot be read: " + e.getMessage(), null);
        }
        List<JsonNode> heads = heads(checkpoints);
        if (trustedHead != null) {
            String problem = placeTrustedHead(heads, trustedHead);
            if (problem != null) {
                return new Result(false, "FAILED at the head you saved (size " + trustedHead.path("treeSize").asLong()
                        + ", signed " + trustedHead.path("timestamp").asText() + "): " + problem, null);
            }
        }
        KeyChain keys = new KeyChain(trusted);
        JsonNode previous = null;
        for (JsonNode head : heads) {
            long size = head.path("treeSize").asLong();
            String where = "FAILED at " + (head == trustedHead ? "the head you saved (size " + size + ")"
                    : "signed tree head " + size) + ": ";
            String keyProblem = keys.check(head);
            if (keyProblem != null) {
                return new Result(false, where + keyProblem, null);
            }
            if (previous != null && Instant.parse(head.path("timestamp").asText())
                    .isBefore(Instant.parse(previous.path("timestamp").asText()))) {
                return new Result(false, where + "it is dated " + head.path("timestamp").asText() + ", before the head"
                        + " of size " + previous.path("treeSize").asLong() + " (" + previous.path("timestamp").asText()
                        + "): time goes backwards", null);
            }
            if (size > tree.size()) {
                // The export must cover every head it is given: otherwise its end was cut off.
                return new Result(false, where + "the head covers " + size + " events but the export's tree ends at "
                        + tree.size() + ": events were removed from its end (download the checkpoints before the"
                        + " export)", null);
            }
            String root = HexFormat.of().formatHex(Merkle.root(size, tree));
            if (!root.equals(head.path("rootHash").asText())) {
                return new Result(false, where + "the events' tree has root " + root + ", the head says "
                        + head.path("rootHash").asText() + (head == trustedHead
                        ? ": the history was rewritten since you saved this head" : ""), null);
            }
            previous = head;
        }
        if (previous == null) {
            return new Result(false, "FAILED: no signed tree head covers the exported events", null);
        }
        long verifiedSize = previous.path("treeSize").asLong();
        return new Result(true, "verified " + events + " events up to tree size " + verifiedSize
                + (trustedHead == null ? "" : ", consistent with the head you saved (size "
                        + trustedHead.path("treeSize").asLong() + ")")
                + (outsideTree == 0 ? "" : "; " + outsideTree + " recorded after the last leaf, not yet in the tree")
                + (tree.size() > verifiedSize ? "; " + (tree.size() - verifiedSize)
                        + " leaves beyond the last signed head" : ""), previous);
    }

    /**
     * Puts a head saved on an earlier visit among the ledger's heads, in size order. The ledger must still serve it
     * unchanged if it serves that size, and must not have fallen back behind it.
     */
    private static String placeTrustedHead(List<JsonNode> heads, JsonNode trustedHead) {
        long size = trustedHead.path("treeSize").asLong();
        long latest = heads.isEmpty() ? 0 : heads.get(heads.size() - 1).path("treeSize").asLong();
        if (latest < size) {
            return "the ledger's latest head is of size " + latest + ", smaller than the head you saved: signed heads"
                    + " were withdrawn and the tree has gone back";
        }
        for (int i = 0; i < heads.size(); i++) {
            JsonNode head = heads.get(i);
            if (head.path("treeSize").asLong() == size) {
                if (!head.path("rootHash").asText().equals(trustedHead.path("rootHash").asText())) {
                    return "the ledger's head of that size has root " + head.path("rootHash").asText() + ", yours "
                            + trustedHead.path("rootHash").asText() + ": the history was rewritten since you saved it";
                }
                heads.set(i, trustedHead);
                return null;
            }
            if (head.path("treeSize").asLong() > size) {
                heads.add(i, trustedHead);
                return null;
            }
        }
        return null;
    }

    /** Where the chain of keys starts: the first key the ledger used if the file lists them, else its only key. */
    private static String firstKey(JsonNode publicKey) {
        JsonNode keys = publicKey.path("keys");
        return keys.isArray() && !keys.isEmpty() ? keys.get(0).path("publicKey").asText()
                : publicKey.path("publicKey").asText();
    }

    private static String check(JsonNode event, Map<String, long[]> lastSequence, Map<String, String> lastHash,
                                Map<String, String> movedTo) {
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
        if (last == null && ActivityMovedIn.class.getName().equals(event.path("payloadType").asText())) {
            // A moved activity's new stream starts where its old one ended: at the ActivityRekeyed naming it.
            String from = event.path("payload").path("movedFrom").asText(null);
            if (from == null || !aggregate.equals(movedTo.get(from))) {
                return "it says it moved in from " + from + ", whose last event is not its move to " + aggregate;
            }
            if (!previous.equals(lastHash.get(from))) {
                return "it does not link to the last event of " + from + ", the identifier it moved from";
            }
        } else if (last == null && !EventHash.GENESIS.equals(previous)) {
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
        if (ActivityRekeyed.class.getName().equals(event.path("payloadType").asText())) {
            movedTo.put(aggregate, event.path("payload").path("newActivityId").asText(null));
        }
        return null;
    }

    private static List<JsonNode> heads(JsonNode checkpoints) {
        List<JsonNode> heads = new ArrayList<>();
        Iterator<JsonNode> items = checkpoints.has("checkpoints") ? checkpoints.get("checkpoints").elements()
                : List.of(checkpoints).iterator();
        items.forEachRemaining(heads::add);
        heads.sort(Comparator.comparingLong(head -> head.path("treeSize").asLong()));
        return heads;
    }
}
