package org.convergenceledger.command.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.convergenceledger.events.LedgerMetadata;
import org.convergenceledger.events.activity.ActivityMovedIn;
import org.convergenceledger.events.activity.ActivityRekeyed;
import org.convergenceledger.events.canonical.Checkpoints;
import org.convergenceledger.events.canonical.EventHash;
import org.convergenceledger.events.canonical.KeyChain;
import org.convergenceledger.events.canonical.Merkle;
import org.convergenceledger.events.canonical.MerkleNodes;
import org.convergenceledger.command.system.LongReads;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * GET /api/audit/verification: re-reads the whole event store in global order, page by page, and checks each
 * event against its seal — its hash recomputed from what is stored now, its link to the previous event of its
 * activity, no sequence number missing. Then checks the Merkle tree against the store — every leaf still names the
 * event at its global position with the same seal, the leaves run 0..n-1, no event has two — and every signed tree
 * head against the tree rebuilt from the leaves (never the stored nodes) and the key.
 * Reports how many events held and every failure (first 100), with what is wrong. Memory grows with the number of
 * activities, not of events.
 */
@RestController
class ChainVerification {

    private static final int PAGE = 1000;
    private static final int MAX_REPORTED = 100;

    record Failure(long globalSequence, String eventId, String aggregateId, long aggregateSequence, String reason) {
    }

    record Report(boolean intact, long eventsChecked, long eventsHolding, long leavesChecked,
                  long treeHeadsChecked, List<Failure> failures, Instant checkedAt) {
    }

    /** The tree as the leaf records rebuild it (up to the first hole), and how many leaf records were checked. */
    private record RebuiltTree(MerkleNodes nodes, long leaves) {
    }

    /** An aggregate's last event seen: its place, its hash, and for an ActivityRekeyed where the activity went. */
    private record Link(long sequence, String hash, String movedTo) {
    }

    private final LongReads longReads;
    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final TreeHeads heads;
    private final TreeHeadSigner signer;

    ChainVerification(LongReads longReads, JdbcTemplate jdbc, ObjectMapper json, TreeHeads heads,
                      TreeHeadSigner signer) {
        this.longReads = longReads;
        this.jdbc = jdbc;
        this.json = json;
        this.heads = heads;
        this.signer = signer;
    }

    @GetMapping("/api/audit/verification")
    Report verification() {
        return longReads.run("verification", this::verify);
    }

    Report verify() {
        Map<String, Link> lastOfAggregate = new HashMap<>();
        List<Failure> failures = new ArrayList<>();
        long[] counts = new long[2];
        long after = -1;
        while (true) {
            List<StoredEvent> page = jdbc.query("""
                    SELECT globalindex, eventidentifier, aggregateidentifier, sequencenumber, payloadtype, timestamp,
                           payload, metadata
                    FROM domainevententry WHERE globalindex > ? ORDER BY globalindex LIMIT ?
                    """, (row, n) -> new StoredEvent(row.getLong(1), row.getString(2), row.getString(3),
                    row.getLong(4), row.getString(5), row.getString(6), row.getBytes(7), row.getBytes(8)),
                    after, PAGE);
            for (StoredEvent event : page) {
                counts[0]++;
                String problem = check(event, lastOfAggregate);
                if (problem == null) {
                    counts[1]++;
                } else if (failures.size() < MAX_REPORTED) {
                    failures.add(new Failure(event.globalIndex(), event.eventId(), event.aggregateId(),
                            event.sequence(), problem));
                }
            }
            if (page.size() < PAGE) {
                break;
            }
            after = page.get(page.size() - 1).globalIndex();
        }
        RebuiltTree rebuilt = checkLeaves(failures);
        long treeHeads = checkTreeHeads(rebuilt.nodes(), failures);
        return new Report(failures.isEmpty() && counts[0] == counts[1], counts[0], counts[1], rebuilt.leaves(),
                treeHeads, failures, Instant.now());
    }

    /**
     * Walks the leaf records in tree order: each must name the event stored at its global position with the same
     * seal, the indexes must run 0..n-1 without a hole, and no event may have two leaves. The tree is rebuilt from
     * these records alone, up to the first hole: the heads are checked against that, not against the stored nodes
     * (which whoever deletes a leaf can leave in place).
     */
    private RebuiltTree checkLeaves(List<Failure> failures) {
        MerkleNodes rebuilt = new MerkleNodes();
        Map<String, Long> leafOfEvent = new HashMap<>();
        long checked = 0;
        long expected = 0;
        boolean holed = false;
        long after = -1;
        while (true) {
            List<Map<String, Object>> page = jdbc.queryForList("""
                    SELECT l.tree_index, l.global_sequence, l.event_id, l.event_hash, n.hash AS node,
                           e.eventidentifier, e.aggregateidentifier, e.sequencenumber, e.metadata
                    FROM merkle_leaf l
                    LEFT JOIN merkle_node n ON n.level = 0 AND n.node_index = l.tree_index
                    LEFT JOIN domainevententry e ON e.globalindex = l.global_sequence
                    WHERE l.tree_index > ? ORDER BY l.tree_index LIMIT ?
                    """, after, PAGE);
            for (Map<String, Object> leaf : page) {
                checked++;
                long index = (Long) leaf.get("tree_index");
                String eventId = (String) leaf.get("event_id");
                String problem = null;
                if (index != expected) {
                    problem = (index - expected == 1 ? "Merkle leaf " + expected + " is"
                            : "Merkle leaves " + expected + " to " + (index - 1) + " are")
                            + " missing from the tree before leaf " + index + ": removed";
                    holed = true;
                }
                expected = index + 1;
                Long earlier = leafOfEvent.putIfAbsent(eventId, index);
                if (problem == null && earlier != null) {
                    problem = "Merkle leaf " + index + " commits to event " + eventId + ", which leaf " + earlier
                            + " already holds: an event has one leaf";
                }
                if (problem == null) {
                    problem = checkLeaf(leaf);
                }
                if (!holed) {
                    rebuilt.append(Merkle.leafHash(Checkpoints.leafData((Long) leaf.get("global_sequence"), eventId,
                            (String) leaf.get("event_hash"))));
                }
                if (problem != null && failures.size() < MAX_REPORTED) {
                    failures.add(new Failure((Long) leaf.get("global_sequence"), eventId,
                            (String) leaf.get("aggregateidentifier"),
                            leaf.get("sequencenumber") == null ? -1 : (Long) leaf.get("sequencenumber"), problem));
                }
            }
            if (page.size() < PAGE) {
                return new RebuiltTree(rebuilt, checked);
            }
            after = (Long) page.get(page.size() - 1).get("tree_index");
        }
    }

    private String checkLeaf(Map<String, Object> leaf) {
        long index = (Long) leaf.get("tree_index");
        String eventId = (String) leaf.get("event_id");
        String eventHash = (String) leaf.get("event_hash");
        if (leaf.get("eventidentifier") == null) {
            return "Merkle leaf " + index + " commits to event " + eventId
                    + " at this global position, and no event is stored there any more: removed";
        }
        if (!eventId.equals(leaf.get("eventidentifier"))) {
            return "Merkle leaf " + index + " commits to event " + eventId + " at this global position, but "
                    + leaf.get("eventidentifier") + " is stored there: replaced or reordered";
        }
        byte[] expectedLeaf = Merkle.leafHash(
                Checkpoints.leafData((Long) leaf.get("global_sequence"), eventId, eventHash));
        if (!Arrays.equals(expectedLeaf, (byte[]) leaf.get("node"))) {
            return "Merkle leaf " + index + " was altered: its record and its hash in the tree disagree";
        }
        try {
            byte[] metadata = (byte[]) leaf.get("metadata");
            String sealed = metadata == null ? null : json.readTree(metadata).path(LedgerMetadata.HASH).asText(null);
            if (sealed != null && !sealed.equals(eventHash)) {
                return "its seal differs from the one Merkle leaf " + index + " committed to: resealed after the fact";
            }
        } catch (IOException unreadable) {
            return "stored metadata is not JSON any more: altered";
        }
        return null;
    }

    /**
     * Every head in tree-size order: signed by the key whose turn it is (from the first key the ledger used,
     * following announced hand-overs), covered by the leaves, its root the one the leaves rebuild, its time not
     * before the previous head's.
     */
    private long checkTreeHeads(MerkleNodes rebuilt, List<Failure> failures) {
        List<TreeHeads.TreeHead> all = heads.all();
        KeyChain keys = new KeyChain(signer.firstKey());
        long size = rebuilt.size();
        TreeHeads.TreeHead previous = null;
        for (TreeHeads.TreeHead head : all) {
            String problem = keys.check(json.valueToTree(head));
            if (problem != null) {
                problem = "signed tree head " + head.treeSize() + ": " + problem;
            } else if (head.treeSize() > size) {
                problem = "signed tree head " + head.treeSize() + " covers more leaves than the tree's leaves run to ("
                        + size + "): leaves removed";
            } else if (!head.rootHash().equals(HexFormat.of().formatHex(Merkle.root(head.treeSize(), rebuilt)))) {
                problem = "signed tree head " + head.treeSize() + ": the root rebuilt from the leaves no longer matches"
                        + " it";
            } else if (previous != null
                    && Instant.parse(head.timestamp()).isBefore(Instant.parse(previous.timestamp()))) {
                problem = "signed tree head " + head.treeSize() + ": it is dated " + head.timestamp()
                        + ", before the head of size " + previous.treeSize() + " (" + previous.timestamp()
                        + "): time goes backwards";
            }
            previous = head;
            if (problem != null && failures.size() < MAX_REPORTED) {
                failures.add(new Failure(-1, null, null, -1, problem));
            }
        }
        return all.size();
    }

    private String check(StoredEvent event, Map<String, Link> lastOfAggregate) {
        Link last = lastOfAggregate.get(event.aggregateId());
        long expectedSequence = last == null ? 0 : last.sequence() + 1;
        JsonNode metadata;
        JsonNode payload;
        try {
            metadata = event.metadata() == null ? json.createObjectNode() : json.readTree(event.metadata());
            payload = json.readTree(event.payload());
        } catch (IOException unreadable) {
            lastOfAggregate.put(event.aggregateId(), new Link(event.sequence(), "", null));
            return "stored payload or metadata is not JSON any more: altered";
        }
        String sealed = metadata.path(LedgerMetadata.HASH).asText(null);
        String previous = metadata.path(LedgerMetadata.PREVIOUS_HASH).asText(null);
        lastOfAggregate.put(event.aggregateId(), new Link(event.sequence(), sealed == null ? "" : sealed,
                ActivityRekeyed.class.getName().equals(event.payloadType())
                        ? payload.path("newActivityId").asText(null) : null));
        if (sealed == null || previous == null) {
            return "not sealed: the event carries no hash";
        }
        if (event.sequence() != expectedSequence) {
            return event.sequence() > expectedSequence
                    ? "events " + expectedSequence + " to " + (event.sequence() - 1) + " of " + event.aggregateId()
                            + " are missing before it: removed"
                    : "comes after event " + last.sequence() + " of its activity in the global order: reordered";
        }
        String expectedPrevious = last == null ? EventHash.GENESIS : last.hash();
        if (last == null && ActivityMovedIn.class.getName().equals(event.payloadType())) {
            // A moved activity's new stream starts where its old one ended: at the ActivityRekeyed naming it.
            String from = payload.path("movedFrom").asText(null);
            Link left = from == null ? null : lastOfAggregate.get(from);
            if (left == null || !event.aggregateId().equals(left.movedTo())) {
                return "it says it moved in from " + from + ", whose last event is not its move to "
                        + event.aggregateId();
            }
            expectedPrevious = left.hash();
        }
        if (!previous.equals(expectedPrevious)) {
            return "its previous-hash link does not match the activity's previous event: that event or this link"
                    + " was altered";
        }
        Map<String, String> envelope = new HashMap<>();
        for (String key : LedgerMetadata.HASHED_ENVELOPE) {
            if (metadata.hasNonNull(key)) {
                envelope.put(key, metadata.get(key).asText());
            }
        }
        String recomputed = EventHash.of(new EventHash.Fields(event.eventId(), event.aggregateId(), event.sequence(),
                event.payloadType(), event.timestamp(), envelope, payload, previous));
        return recomputed.equals(sealed) ? null
                : "its content no longer matches its hash: payload, envelope, type or time altered";
    }

    private record StoredEvent(long globalIndex, String eventId, String aggregateId, long sequence,
                               String payloadType, String timestamp, byte[] payload, byte[] metadata) {
    }
}
