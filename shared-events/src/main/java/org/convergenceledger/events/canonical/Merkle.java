package org.convergenceledger.events.canonical;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Merkle tree of Certificate Transparency (RFC 6962 section 2.1, verification as in RFC 9162 section 2.1):
 * leaf hash = SHA-256(0x00 || data), node hash = SHA-256(0x01 || left || right), the tree of n leaves split at the
 * largest power of two below n. Proofs are built from the hashes of perfect, aligned subtrees ({@link Nodes}), so a
 * store that keeps those answers any proof with O(log n) lookups.
 */
public final class Merkle {

    /** Hashes of perfect subtrees: level 0 are leaf hashes; node (level, index) covers leaves [index·2^level, (index+1)·2^level). */
    public interface Nodes {
        byte[] node(int level, long index);
    }

    private Merkle() {
    }

    public static byte[] leafHash(byte[] data) {
        MessageDigest sha256 = sha256();
        sha256.update((byte) 0x00);
        return sha256.digest(data);
    }

    public static byte[] nodeHash(byte[] left, byte[] right) {
        MessageDigest sha256 = sha256();
        sha256.update((byte) 0x01);
        sha256.update(left);
        return sha256.digest(right);
    }

    /** MTH of the first {@code size} leaves. */
    public static byte[] root(long size, Nodes nodes) {
        return size == 0 ? sha256().digest() : hash(0, size, nodes);
    }

    /** PATH(index, D[size]): the audit path proving leaf {@code index} is in the tree of {@code size} leaves. */
    public static List<byte[]> inclusionProof(long index, long size, Nodes nodes) {
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("leaf " + index + " is not in a tree of " + size);
        }
        List<byte[]> path = new ArrayList<>();
        path(index, 0, size, nodes, path);
        return path;
    }

    /** PROOF(from, D[to]): proves the tree of {@code to} leaves extends the tree of {@code from} leaves. */
    public static List<byte[]> consistencyProof(long from, long to, Nodes nodes) {
        if (from < 1 || from > to) {
            throw new IllegalArgumentException("no consistency proof from " + from + " to " + to);
        }
        List<byte[]> proof = new ArrayList<>();
        subproof(from, 0, to, true, nodes, proof);
        return proof;
    }

    public static boolean verifyInclusion(long index, long size, byte[] leafHash, List<byte[]> proof, byte[] root) {
        if (index < 0 || index >= size) {
            return false;
        }
        long fn = index;
        long sn = size - 1;
        byte[] r = leafHash;
        for (byte[] p : proof) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = nodeHash(p, r);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                r = nodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && Arrays.equals(r, root);
    }

    public static boolean verifyConsistency(long from, long to, byte[] fromRoot, byte[] toRoot, List<byte[]> proof) {
        if (from < 1 || from > to) {
            return false;
        }
        if (from == to) {
            return proof.isEmpty() && Arrays.equals(fromRoot, toRoot);
        }
        if (proof.isEmpty()) {
            return false;
        }
        List<byte[]> path = new ArrayList<>(proof);
        if (Long.bitCount(from) == 1) {
            path.add(0, fromRoot);
        }
        long fn = from - 1;
        long sn = to - 1;
        while ((fn & 1) == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        byte[] fr = path.get(0);
        byte[] sr = path.get(0);
        for (byte[] c : path.subList(1, path.size())) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = nodeHash(c, fr);
                sr = nodeHash(c, sr);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                sr = nodeHash(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return Arrays.equals(fr, fromRoot) && Arrays.equals(sr, toRoot) && sn == 0;
    }

    /** MTH(D[start:end]); every left part of the split is a perfect aligned subtree, read from the nodes. */
    private static byte[] hash(long start, long end, Nodes nodes) {
        long n = end - start;
        if (Long.bitCount(n) == 1 && start % n == 0) {
            return nodes.node(Long.numberOfTrailingZeros(n), start / n);
        }
        long k = Long.highestOneBit(n - 1);
        return nodeHash(hash(start, start + k, nodes), hash(start + k, end, nodes));
    }

    private static void path(long index, long start, long end, Nodes nodes, List<byte[]> path) {
        long n = end - start;
        if (n == 1) {
            return;
        }
        long k = Long.highestOneBit(n - 1);
        if (index - start < k) {
            path(index, start, start + k, nodes, path);
            path.add(hash(start + k, end, nodes));
        } else {
            path(index, start + k, end, nodes, path);
            path.add(hash(start, start + k, nodes));
        }
    }

    private static void subproof(long m, long start, long end, boolean complete, Nodes nodes, List<byte[]> proof) {
        long n = end - start;
        if (m == n) {
            if (!complete) {
                proof.add(hash(start, end, nodes));
            }
            return;
        }
        long k = Long.highestOneBit(n - 1);
        if (m <= k) {
            subproof(m, start, start + k, complete, nodes, proof);
            proof.add(hash(start + k, end, nodes));
        } else {
            subproof(m - k, start + k, end, false, nodes, proof);
            proof.add(hash(start, start + k, nodes));
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
