package org.convergenceledger.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.convergenceledger.events.activity.ActivityEvent;
import org.convergenceledger.events.canonical.Checkpoints;
import org.convergenceledger.events.canonical.Ed25519;
import org.convergenceledger.events.canonical.EventHash;
import org.convergenceledger.events.canonical.Merkle;
import org.convergenceledger.events.canonical.MerkleNodes;

/**
 * A synthetic but valid audit export, the three files an auditor downloads: the events as NDJSON, record for
 * record as GET /api/audit/export writes them (same fields, same order, same Jackson configuration), sealed with
 * {@link EventHash} and chained per activity; the Merkle tree over them ({@link Checkpoints#leafData}, {@link Merkle});
 * signed tree heads (Ed25519, a key generated here) as /api/audit/checkpoints gives them; the public key as
 * /api/audit/public-key does.
 *
 * <p>Events are spread over activities as in a ledger that runs for a while: a new activity is opened with the
 * probability that leaves exactly the requested number at the end, otherwise one of the 2,000 most recently opened
 * activities gets its next event — so each activity gets about events ÷ activities events, interleaved with others.
 */
final class SyntheticLedger {

    private static final int RECENT_ACTIVITIES = 2000;
    private static final Instant FIRST_RECORDED = Instant.parse("2024-01-08T08:00:00Z");

    /** Where one payload byte will be flipped: the file offset, and the event it belongs to. */
    record Tamper(long offset, long globalSequence, String eventId, String aggregateId, char from, char to) {
    }

    /**
     * The files written and what generating them took: {@code hashSeconds} in EventHash.of (canonical form of the
     * record + SHA-256), {@code merkleSeconds} in the leaf's canonical form, its hash and the tree's node hashes
     * (MerkleNodes.append), {@code headSeconds} computing the roots and signing the heads.
     */
    record Files(Path export, Path checkpoints, Path publicKey, long bytes, long events, long activities,
                 Map<String, Long> types, List<Long> headSizes, Tamper tamper, double seconds, double hashSeconds,
                 double merkleSeconds, double headSeconds) {
    }

    private static final class Chain {
        final Workload.Activity activity;
        long next;
        String lastHash;

        Chain(Workload.Activity activity) {
            this.activity = activity;
        }
    }

    private SyntheticLedger() {
    }

    static Files write(Path dir, long events, long activities, int heads, long seed) throws IOException {
        long started = System.nanoTime();
        KeyPair key;
        try {
            key = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no Ed25519", e);
        }
        String keyId = EventHash.sha256(key.getPublic().getEncoded()).substring(0, 16);
        List<Long> headSizes = new ArrayList<>();
        for (int h = 1; h <= heads; h++) {
            long size = Math.max(1, Math.round((double) h * events / heads));
            if (headSizes.isEmpty() || headSizes.get(headSizes.size() - 1) < size) {
                headSizes.add(size);
            }
        }
        long tamperFrom = Math.min(events - 1, events * 2 / 3);

        SplittableRandom random = new SplittableRandom(seed);
        AuditEvents generator = new AuditEvents(seed, "audit");
        List<Chain> opened = new ArrayList<>((int) Math.min(activities, Integer.MAX_VALUE));
        MerkleNodes tree = new MerkleNodes();
        ArrayNode signedHeads = AuditEvents.JSON.createArrayNode();
        Map<String, Long> types = new TreeMap<>();
        Instant clock = FIRST_RECORDED;
        long hashNanos = 0;
        long merkleNanos = 0;
        long headNanos = 0;
        int nextHead = 0;
        Tamper tamper = null;
        Path export = dir.resolve("ledger.ndjson");
        long bytes = 0;
        try (OutputStream out = new BufferedOutputStream(java.nio.file.Files.newOutputStream(export), 1 << 20)) {
            for (long i = 0; i < events; i++) {
                Chain chain;
                long created = opened.size();
                if (created < activities && (created == 0 || random.nextLong(events - i) < activities - created)) {
                    chain = new Chain(generator.activity((int) created));
                    opened.add(chain);
                } else {
                    int window = (int) Math.min(created, RECENT_ACTIVITIES);
                    chain = opened.get((int) created - 1 - random.nextInt(window));
                }
                Workload.Activity a = chain.activity;
                long sequence = chain.next++;
                ActivityEvent event = generator.event(a.id(), a, sequence, random);
                JsonNode payload = AuditEvents.JSON.valueToTree(event);
                String payloadType = event.getClass().getName();
                types.merge(event.getClass().getSimpleName(), 1L, Long::sum);
                String eventId = AuditEvents.uuid(random);
                clock = clock.plusMillis(1 + random.nextInt(2000));
                String recordedAt = EventHash.recordedAt(clock);
                // occurredAt defaults to the moment the command was received, in nanoseconds, as the services write it
                String occurredAt = clock.minusNanos(1_000_000 + random.nextLong(40_000_000)).toString();
                Map<String, String> envelope = AuditEvents.envelope(a.leadAgency(), occurredAt);
                String previous = sequence == 0 ? EventHash.GENESIS : chain.lastHash;
                long globalSequence = i + 1;

                long t0 = System.nanoTime();
                String hash = EventHash.of(new EventHash.Fields(eventId, a.id(), sequence, payloadType, recordedAt,
                        envelope, payload, previous));
                long t1 = System.nanoTime();
                tree.append(Merkle.leafHash(Checkpoints.leafData(globalSequence, eventId, hash)));
                long t2 = System.nanoTime();
                hashNanos += t1 - t0;
                merkleNanos += t2 - t1;
                chain.lastHash = hash;

                if (nextHead < headSizes.size() && tree.size() == headSizes.get(nextHead)) {
                    signedHeads.add(signedHead(tree, clock.plusSeconds(2), key, keyId));
                    headNanos += System.nanoTime() - t2;
                    nextHead++;
                }

                // The export's record (LedgerExport.record): this field order, this mapper.
                ObjectNode record = AuditEvents.JSON.createObjectNode();
                record.put("globalSequence", globalSequence);
                record.put("treeIndex", i);
                record.put("eventId", eventId);
                record.put("aggregateId", a.id());
                record.put("aggregateSequence", sequence);
                record.put("payloadType", payloadType);
                record.put("recordedAt", recordedAt);
                ObjectNode env = record.putObject("envelope");
                env.put("recordedBy", a.leadAgency());
                env.put("occurredAt", occurredAt);
                record.set("payload", payload);
                record.put("hash", hash);
                record.put("previousHash", previous);
                byte[] line = AuditEvents.JSON.writeValueAsBytes(record);
                if (tamper == null && i >= tamperFrom) {
                    tamper = tamperPoint(line, bytes, globalSequence, eventId, a.id());
                }
                out.write(line);
                out.write('\n');
                bytes += line.length + 1;
            }
        }
        ObjectNode checkpoints = AuditEvents.JSON.createObjectNode();
        checkpoints.set("checkpoints", signedHeads);
        Path checkpointsFile = dir.resolve("checkpoints.json");
        AuditEvents.JSON.writeValue(checkpointsFile.toFile(), checkpoints);
        ObjectNode publicKey = AuditEvents.JSON.createObjectNode();
        publicKey.put("algorithm", "Ed25519");
        publicKey.put("keyId", keyId);
        publicKey.put("publicKey", Base64.getEncoder().encodeToString(key.getPublic().getEncoded()));
        Path publicKeyFile = dir.resolve("public-key.json");
        AuditEvents.JSON.writeValue(publicKeyFile.toFile(), publicKey);
        return new Files(export, checkpointsFile, publicKeyFile, bytes, events, opened.size(), types, headSizes,
                tamper, (System.nanoTime() - started) / 1e9, hashNanos / 1e9, merkleNanos / 1e9, headNanos / 1e9);
    }

    private static ObjectNode signedHead(MerkleNodes tree, Instant at, KeyPair key, String keyId) {
        long size = tree.size();
        String root = HexFormat.of().formatHex(Merkle.root(size, tree));
        String timestamp = at.truncatedTo(ChronoUnit.MILLIS).toString();
        String signature = Ed25519.sign(key.getPrivate(),
                Checkpoints.signedTreeHead(size, root, timestamp, keyId, null));
        ObjectNode head = AuditEvents.JSON.createObjectNode();
        head.put("treeSize", size);
        head.put("rootHash", root);
        head.put("timestamp", timestamp);
        head.put("keyId", keyId);
        head.put("signature", signature);
        return head;
    }

    /**
     * A lower-case letter inside the payload's first string value (the activity id), so that the flipped line is
     * still valid JSON (a letter XOR 1 is another letter or a backquote) and only the payload changes; null when the
     * line has none.
     */
    private static Tamper tamperPoint(byte[] line, long lineOffset, long globalSequence, String eventId,
                                      String aggregateId) {
        int payload = indexOf(line, "\"payload\":{\"".getBytes(StandardCharsets.UTF_8));
        if (payload < 0) {
            return null;
        }
        // first value of the payload: after `"payload":{"name":"`
        int value = indexOf(line, "\":\"".getBytes(StandardCharsets.UTF_8), payload + 11);
        for (int p = value + 3; value >= 0 && p < line.length && line[p] != '"'; p++) {
            if (line[p] >= 'a' && line[p] <= 'z') {
                return new Tamper(lineOffset + p, globalSequence, eventId, aggregateId, (char) line[p],
                        (char) (line[p] ^ 1));
            }
        }
        return null;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        return indexOf(haystack, needle, 0);
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** A copy of the export with the tamper point's byte flipped. */
    static Path tamperedCopy(Files files, Path dir) throws IOException {
        Path copy = dir.resolve("ledger-tampered.ndjson");
        java.nio.file.Files.copy(files.export(), copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel channel = FileChannel.open(copy, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[] {(byte) files.tamper().to()}), files.tamper().offset());
        }
        return copy;
    }
}
