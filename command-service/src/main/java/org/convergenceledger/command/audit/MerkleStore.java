package org.convergenceledger.command.audit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.convergenceledger.events.canonical.Checkpoints;
import org.convergenceledger.events.canonical.Merkle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** The Merkle tree in PostgreSQL: leaves, and every completed perfect subtree, so proofs need O(log n) reads. */
@Component
class MerkleStore {

    record Leaf(long treeIndex, long globalSequence, String eventId, String eventHash) {
    }

    private final JdbcTemplate jdbc;

    MerkleStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A leaf to append: the event's place in the store, its id and its hash. */
    record NewLeaf(long globalSequence, String eventId, String eventHash) {
    }

    /** A node of the tree's right edge: the last one written at its level. */
    private record EdgeNode(long index, byte[] hash) {
    }

    /**
     * The tree's right edge as committed — at each level, the last node written — and its size, so that a batch of
     * leaves needs no read of the tree: every left sibling an append needs is the last node of its level. Null size:
     * not known (at start, after a rollback), read from the tables.
     */
    private final Map<Integer, EdgeNode> edge = new HashMap<>();
    private Long committedSize;

    /** The size as last committed here, without a read; empty until the first append (and after a rollback). */
    synchronized java.util.OptionalLong committedSize() {
        return committedSize == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(committedSize);
    }

    long size() {
        Long size = jdbc.queryForObject("SELECT coalesce(max(tree_index) + 1, 0) FROM merkle_leaf", Long.class);
        return size == null ? 0 : size;
    }

    /**
     * Appends the leaves, in order, and every subtree they complete: the hashes computed in memory from the right
     * edge, then the leaves written with one batched statement and the nodes with another. What the batch changes of
     * the edge is kept once its transaction commits, and forgotten if it rolls back.
     */
    synchronized void appendAll(List<NewLeaf> leaves) {
        if (leaves.isEmpty()) {
            return;
        }
        long index = committedSize != null ? committedSize : size();
        Map<Integer, EdgeNode> written = new HashMap<>();
        List<Object[]> leafRows = new ArrayList<>(leaves.size());
        List<Object[]> nodeRows = new ArrayList<>(leaves.size() * 2);
        for (NewLeaf leaf : leaves) {
            leafRows.add(new Object[] {index, leaf.globalSequence(), leaf.eventId(), leaf.eventHash()});
            byte[] hash = Merkle.leafHash(Checkpoints.leafData(leaf.globalSequence(), leaf.eventId(), leaf.eventHash()));
            long position = index;
            for (int level = 0; ; level++) {
                nodeRows.add(new Object[] {level, position, hash});
                // The left sibling is read before this node takes its place as the last of its level.
                byte[] left = (position & 1) == 0 ? null : leftSibling(level, position - 1, written);
                written.put(level, new EdgeNode(position, hash));
                if (left == null) {
                    break;
                }
                hash = Merkle.nodeHash(left, hash);
                position >>= 1;
            }
            index++;
        }
        jdbc.batchUpdate("INSERT INTO merkle_leaf (tree_index, global_sequence, event_id, event_hash) "
                + "VALUES (?, ?, ?, ?)", leafRows);
        jdbc.batchUpdate("INSERT INTO merkle_node (level, node_index, hash) VALUES (?, ?, ?)", nodeRows);
        long newSize = index;
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    remember(status == STATUS_COMMITTED ? written : null, newSize);
                }
            });
        } else {
            remember(null, newSize);
        }
    }

    private synchronized void remember(Map<Integer, EdgeNode> written, long size) {
        if (written == null) {
            edge.clear();
            committedSize = null;
        } else {
            edge.putAll(written);
            committedSize = size;
        }
    }

    /** The node at (level, index): written by this batch, else the committed edge's, else read from the table. */
    private byte[] leftSibling(int level, long index, Map<Integer, EdgeNode> written) {
        EdgeNode node = written.get(level);
        if (node == null || node.index() != index) {
            node = edge.get(level);
        }
        if (node != null && node.index() == index) {
            return node.hash();
        }
        return node(level, index, new HashMap<>());
    }

    Merkle.Nodes nodes() {
        Map<String, byte[]> cache = new HashMap<>();
        return (level, index) -> node(level, index, cache);
    }

    /** Which of these events already have a leaf. */
    Set<String> alreadyIn(Collection<String> eventIds) {
        Set<String> found = new HashSet<>();
        if (eventIds.isEmpty()) {
            return found;
        }
        String[] ids = eventIds.toArray(String[]::new);
        jdbc.query("SELECT event_id FROM merkle_leaf WHERE event_id = ANY (?)",
                statement -> statement.setArray(1, statement.getConnection().createArrayOf("varchar", ids)),
                row -> {
                    found.add(row.getString(1));
                });
        return found;
    }

    Leaf leafOfEvent(String eventId) {
        List<Leaf> leaves = jdbc.query("SELECT tree_index, global_sequence, event_id, event_hash FROM merkle_leaf "
                + "WHERE event_id = ?", (row, n) -> new Leaf(row.getLong(1), row.getLong(2), row.getString(3),
                row.getString(4)), eventId);
        return leaves.isEmpty() ? null : leaves.get(0);
    }

    private byte[] node(int level, long index, Map<String, byte[]> cache) {
        return cache.computeIfAbsent(level + ":" + index, key -> {
            List<byte[]> found = jdbc.query("SELECT hash FROM merkle_node WHERE level = ? AND node_index = ?",
                    (row, n) -> row.getBytes(1), level, index);
            if (found.isEmpty()) {
                throw new IllegalStateException("Merkle node " + key + " is missing");
            }
            return found.get(0);
        });
    }
}
