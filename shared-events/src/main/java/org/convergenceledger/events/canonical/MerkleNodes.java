package org.convergenceledger.events.canonical;

import java.util.ArrayList;
import java.util.List;

/**
 * Every perfect subtree of a growing list of leaves, in memory: what the verifier builds from an export, and what
 * the tests use. Appending a leaf completes at most log n new subtrees.
 */
public final class MerkleNodes implements Merkle.Nodes {

    private final List<List<byte[]>> levels = new ArrayList<>();

    public void append(byte[] leafHash) {
        byte[] hash = leafHash;
        for (int level = 0; ; level++) {
            if (levels.size() == level) {
                levels.add(new ArrayList<>());
            }
            List<byte[]> row = levels.get(level);
            row.add(hash);
            if (row.size() % 2 == 1) {
                return;
            }
            hash = Merkle.nodeHash(row.get(row.size() - 2), row.get(row.size() - 1));
        }
    }

    public long size() {
        return levels.isEmpty() ? 0 : levels.get(0).size();
    }

    @Override
    public byte[] node(int level, long index) {
        return levels.get(level).get(Math.toIntExact(index));
    }
}
