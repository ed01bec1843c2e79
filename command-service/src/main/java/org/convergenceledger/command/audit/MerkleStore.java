package org.convergenceledger.command.audit;

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

/** The Merkle tree in PostgreSQL: leaves, and every completed perfect subtree, so proofs need O(log n) reads. */
@Component
class MerkleStore {

    record Leaf(long treeIndex, long globalSequence, String eventId, String eventHash) {
    }

    private final JdbcTemplate jdbc;

    MerkleStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    long size() {
        Long size = jdbc.queryForObject("SELECT coalesce(max(tree_index) + 1, 0) FROM merkle_leaf", Long.class);
        return size == null ? 0 : size;
    }

    /**
     * Appends a leaf and the subtrees it completes. {@code cache} holds nodes written earlier in the same batch.
     * Returns the new size.
     */
    long append(long index, long globalSequence, String eventId, String eventHash, Map<String, byte[]> cache) {
        jdbc.update("INSERT INTO merkle_leaf (tree_index, global_sequence, event_id, event_hash) VALUES (?, ?, ?, ?)",
                index, globalSequence, eventId, eventHash);
        byte[] hash = Merkle.leafHash(Checkpoints.leafData(globalSequence, eventId, eventHash));
        long position = index;
        for (int level = 0; ; level++) {
            put(level, position, hash, cache);
            if ((position & 1) == 0) {
                return index + 1;
            }
            hash = Merkle.nodeHash(node(level, position - 1, cache), hash);
            position >>= 1;
        }
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

    private void put(int level, long index, byte[] hash, Map<String, byte[]> cache) {
        jdbc.update("INSERT INTO merkle_node (level, node_index, hash) VALUES (?, ?, ?)", level, index, hash);
        cache.put(level + ":" + index, hash);
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
