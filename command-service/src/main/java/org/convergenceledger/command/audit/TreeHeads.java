package org.convergenceledger.command.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.convergenceledger.events.canonical.Merkle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Publishes a signed tree head whenever the tree has grown, every ledger.audit.checkpoint-interval: stored in
 * tree_head and sent to Kafka topic ledger.checkpoints (best effort; the table is the record).
 */
@Component
class TreeHeads {

    private static final Logger log = LoggerFactory.getLogger(TreeHeads.class);

    record TreeHead(long treeSize, String rootHash, String timestamp, String keyId, String signature) {
    }

    private final JdbcTemplate jdbc;
    private final MerkleStore tree;
    private final TreeHeadSigner signer;
    private final CheckpointPublisher publisher;

    TreeHeads(JdbcTemplate jdbc, MerkleStore tree, TreeHeadSigner signer, CheckpointPublisher publisher) {
        this.jdbc = jdbc;
        this.tree = tree;
        this.signer = signer;
        this.publisher = publisher;
    }

    @Scheduled(fixedDelayString = "${ledger.audit.checkpoint-interval:5s}", initialDelayString = "2s")
    void publishIfGrown() {
        Optional<TreeHead> head = signNewHead();
        head.ifPresent(publisher::publish);
    }

    Optional<TreeHead> signNewHead() {
        long size = tree.size();
        Long latest = jdbc.queryForObject("SELECT max(tree_size) FROM tree_head", Long.class);
        if (size == 0 || (latest != null && latest >= size)) {
            return Optional.empty();
        }
        String root = HexFormat.of().formatHex(Merkle.root(size, tree.nodes()));
        String timestamp = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
        TreeHead head = new TreeHead(size, root, timestamp, signer.keyId(), signer.sign(size, root, timestamp));
        jdbc.update("INSERT INTO tree_head (tree_size, root_hash, signed_at, key_id, signature) VALUES (?, ?, ?, ?, ?)",
                head.treeSize(), head.rootHash(), head.timestamp(), head.keyId(), head.signature());
        log.debug("Signed tree head {} {}", size, root);
        return Optional.of(head);
    }

    Optional<TreeHead> latest() {
        return one("SELECT * FROM tree_head ORDER BY tree_size DESC LIMIT 1");
    }

    Optional<TreeHead> ofSize(long size) {
        return one("SELECT * FROM tree_head WHERE tree_size = ?", size);
    }

    List<TreeHead> all() {
        return jdbc.query("SELECT * FROM tree_head ORDER BY tree_size", TreeHeads::treeHead);
    }

    private Optional<TreeHead> one(String sql, Object... arguments) {
        return jdbc.query(sql, TreeHeads::treeHead, arguments).stream().findFirst();
    }

    private static TreeHead treeHead(ResultSet row, int number) throws SQLException {
        return new TreeHead(row.getLong("tree_size"), row.getString("root_hash"), row.getString("signed_at"),
                row.getString("key_id"), row.getString("signature"));
    }
}
