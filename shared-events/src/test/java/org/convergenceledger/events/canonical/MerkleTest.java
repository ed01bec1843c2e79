package org.convergenceledger.events.canonical;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class MerkleTest {

    /** The test leaves of Certificate Transparency's reference implementation, and its roots for sizes 1 to 8. */
    private static final List<byte[]> CT_LEAVES = List.of(new byte[0], hex("00"), hex("10"), hex("2021"),
            hex("3031"), hex("40414243"), hex("5051525354555657"), hex("606162636465666768696a6b6c6d6e6f"));
    private static final List<String> CT_ROOTS = List.of(
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");

    @Test
    void rootsMatchCertificateTransparencysTestVectors() {
        MerkleNodes nodes = new MerkleNodes();
        for (int size = 1; size <= 8; size++) {
            nodes.append(Merkle.leafHash(CT_LEAVES.get(size - 1)));
            assertThat(HexFormat.of().formatHex(Merkle.root(size, nodes))).as("root of %d", size)
                    .isEqualTo(CT_ROOTS.get(size - 1));
        }
        assertThat(HexFormat.of().formatHex(Merkle.root(0, nodes)))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void everyLeafIsProvenInEveryTreeThatHoldsIt() {
        MerkleNodes nodes = grown(40);
        for (long size = 1; size <= 40; size++) {
            byte[] root = Merkle.root(size, nodes);
            for (long index = 0; index < size; index++) {
                List<byte[]> proof = Merkle.inclusionProof(index, size, nodes);
                assertThat(Merkle.verifyInclusion(index, size, nodes.node(0, index), proof, root))
                        .as("leaf %d of %d", index, size).isTrue();
                assertThat(Merkle.verifyInclusion(index, size, Merkle.leafHash(new byte[] {(byte) 200}), proof, root))
                        .as("another leaf at %d of %d", index, size).isFalse();
                if (size > 1) {
                    long other = (index + 1) % size;
                    assertThat(Merkle.verifyInclusion(other, size, nodes.node(0, index), proof, root)).isFalse();
                }
            }
        }
    }

    @Test
    void everyLargerTreeIsProvenConsistentWithEverySmallerOne() {
        MerkleNodes nodes = grown(40);
        for (long to = 1; to <= 40; to++) {
            byte[] toRoot = Merkle.root(to, nodes);
            for (long from = 1; from <= to; from++) {
                byte[] fromRoot = Merkle.root(from, nodes);
                List<byte[]> proof = Merkle.consistencyProof(from, to, nodes);
                assertThat(Merkle.verifyConsistency(from, to, fromRoot, toRoot, proof))
                        .as("%d to %d", from, to).isTrue();
                if (from < to) {
                    assertThat(Merkle.verifyConsistency(from, to, Merkle.leafHash(new byte[] {(byte) 201}), toRoot, proof))
                            .as("a forged old root %d to %d", from, to).isFalse();
                }
            }
        }
    }

    @Test
    void aRewrittenHistoryIsNotConsistentWithItsOldRoot() {
        MerkleNodes honest = grown(20);
        MerkleNodes rewritten = new MerkleNodes();
        for (int i = 0; i < 20; i++) {
            rewritten.append(Merkle.leafHash(new byte[] {(byte) (i == 3 ? 99 : i)}));
        }
        byte[] oldRoot = Merkle.root(10, honest);

        List<byte[]> proof = Merkle.consistencyProof(10, 20, rewritten);

        assertThat(Merkle.verifyConsistency(10, 20, oldRoot, Merkle.root(20, rewritten), proof)).isFalse();
    }

    private static MerkleNodes grown(int size) {
        MerkleNodes nodes = new MerkleNodes();
        for (int i = 0; i < size; i++) {
            nodes.append(Merkle.leafHash(new byte[] {(byte) i}));
        }
        return nodes;
    }

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }
}
