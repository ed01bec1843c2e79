package org.convergenceledger.command.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.convergenceledger.events.canonical.Checkpoints;
import org.convergenceledger.events.canonical.Ed25519;
import org.convergenceledger.events.canonical.Merkle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Signs a tree head whenever the tree has grown, every ledger.audit.checkpoint-interval, stores it in tree_head and
 * sends it to ledger.checkpoints ({@link CheckpointPublisher}, retried from the table until acknowledged).
 *
 * <p>A signer that cannot be made to lie: before signing, it checks that the tree in the database still extends the
 * last head it signed (an RFC 9162 consistency proof between the two sizes), that the store still holds that head
 * unchanged, and that the tree has not shrunk. If any fails it signs nothing, and health ("treeHeads") says why,
 * until the tree is one that extends the last head again. Rewriting the events, the leaves and the nodes together
 * therefore stops the signing instead of getting the rewrite signed.
 *
 * <p>Every instance of the service runs the schedule, and one at a time signs: each round takes a transaction-scoped
 * advisory lock of the database, and an instance that finds it taken leaves that round to the holder. A head is thus
 * always built on the latest stored one, whichever instance signed that, and an instance killed mid-round releases
 * the lock with its connection. The signer's memory of its last head may be behind the store's latest when another
 * instance signed meanwhile, which {@link #lastHead()} allows; it may never be ahead of it nor differ from it.
 */
@Component("treeHeads")
class TreeHeads implements HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(TreeHeads.class);
    /** The advisory locks that keep signing, and sending heads, to one instance at a time. */
    private static final String SIGNING = "ledger-tree-heads-signing";
    private static final String PUBLISHING = "ledger-tree-heads-publishing";

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TreeHead(long treeSize, String rootHash, String timestamp, String keyId, String nextKey, String signature) {
    }

    private final JdbcTemplate jdbc;
    private final MerkleStore tree;
    private final TreeHeadSigner signer;
    private final CheckpointPublisher publisher;
    private final ObjectMapper json;
    private final TransactionTemplate rounds;
    private volatile String refusal;

    TreeHeads(JdbcTemplate jdbc, MerkleStore tree, TreeHeadSigner signer, CheckpointPublisher publisher,
              ObjectMapper json, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.rounds = new TransactionTemplate(transactions);
        this.tree = tree;
        this.signer = signer;
        this.publisher = publisher;
        this.json = json;
    }

    @Scheduled(fixedDelayString = "${ledger.audit.checkpoint-interval:5s}", initialDelayString = "2s")
    void sign() {
        signNewHead();
    }

    /**
     * Sends the heads the broker has not acknowledged yet, oldest first, stopping at the first it refuses. On its
     * own schedule (the scheduler has two threads), so that a broker away does not hold the signing up.
     */
    @Scheduled(fixedDelayString = "${ledger.audit.checkpoint-interval:5s}", initialDelayString = "3s")
    void publishPending() {
        aloneAmongInstances(PUBLISHING, () -> {
            for (TreeHead head : unpublished(100)) {
                if (!publisher.send(head)) {
                    break;
                }
                markPublished(head.treeSize());
            }
            return Optional.empty();
        });
    }

    /**
     * Runs the round in a transaction holding the advisory lock of that name; if another instance holds it, not at
     * all (that instance does the round).
     */
    private Optional<TreeHead> aloneAmongInstances(String lock, java.util.function.Supplier<Optional<TreeHead>> round) {
        return rounds.execute(status -> Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT pg_try_advisory_xact_lock(hashtext(?))", Boolean.class, lock)) ? round.get() : Optional.empty());
    }

    synchronized Optional<TreeHead> signNewHead() {
        try {
            Optional<TreeHead> head = aloneAmongInstances(SIGNING, this::extendLastHead);
            // Remembered once stored (committed): the store may be ahead of the memory, never behind it.
            head.ifPresent(signer::remember);
            if (refusal != null) {
                log.warn("Signing tree heads again: the tree extends the last signed head");
            }
            refusal = null;
            return head;
        } catch (TreeHeadSigner.SigningRefused | java.io.UncheckedIOException refused) {
            // A memory of the last head that cannot be kept is a reason to stop too: without it the store's
            // word would be the only one.
            String reason = refused instanceof TreeHeadSigner.SigningRefused ? refused.getMessage()
                    : refused.getMessage() + ": " + refused.getCause().getMessage();
            if (!reason.equals(refusal)) {
                log.error("Signing stopped: {}", reason);
            }
            refusal = reason;
            return Optional.empty();
        }
    }

    private Optional<TreeHead> extendLastHead() {
        TreeHead last = lastHead();
        long size = tree.size();
        Merkle.Nodes nodes = tree.nodes();
        if (last != null) {
            if (size < last.treeSize()) {
                throw new TreeHeadSigner.SigningRefused("the tree has " + size + " leaves, fewer than the "
                        + last.treeSize() + " of the last signed head: leaves were removed");
            }
            String root = hex(Merkle.root(last.treeSize(), nodes));
            if (!root.equals(last.rootHash())) {
                throw new TreeHeadSigner.SigningRefused("the tree no longer extends the head signed at size "
                        + last.treeSize() + ": its first " + last.treeSize() + " leaves now hash to " + root
                        + ", the signed head says " + last.rootHash() + " (history rewritten)");
            }
        }
        if (size == 0 || last != null && size == last.treeSize()) {
            return Optional.empty();
        }
        String root = hex(Merkle.root(size, nodes));
        if (last != null && !Merkle.verifyConsistency(last.treeSize(), size,
                HexFormat.of().parseHex(last.rootHash()), HexFormat.of().parseHex(root),
                Merkle.consistencyProof(last.treeSize(), size, nodes))) {
            throw new TreeHeadSigner.SigningRefused("the tree of size " + size + " is not consistent with the head"
                    + " signed at size " + last.treeSize());
        }
        // Time never goes backwards along the heads, whatever the clock does.
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        if (last != null && !now.isAfter(Instant.parse(last.timestamp()))) {
            now = Instant.parse(last.timestamp()).plusMillis(1);
        }
        String timestamp = now.toString();
        TreeHeadSigner.Signature signature = signer.sign(size, root, timestamp, last);
        TreeHead head = new TreeHead(size, root, timestamp, signature.keyId(), signature.nextKey(),
                signature.signature());
        jdbc.update("INSERT INTO tree_head (tree_size, root_hash, signed_at, key_id, next_key, signature) "
                        + "VALUES (?, ?, ?, ?, ?, ?)", head.treeSize(), head.rootHash(), head.timestamp(),
                head.keyId(), head.nextKey(), head.signature());
        if (head.nextKey() != null) {
            log.warn("Tree head {} signed with key {} hands signing over to key {}", size, head.keyId(),
                    signer.keyId());
        }
        return Optional.of(head);
    }

    /**
     * The head to extend: the store's latest, which must agree with what this signer remembers signing. The store
     * may be ahead of the memory (a crash between storing a head and remembering it, or a new key file), never
     * behind it nor different from it.
     */
    private TreeHead lastHead() {
        TreeHead remembered = signer.lastSigned();
        TreeHead stored = latest().orElse(null);
        if (remembered != null) {
            if (stored == null || stored.treeSize() < remembered.treeSize()) {
                throw new TreeHeadSigner.SigningRefused("this signer last signed the head of size "
                        + remembered.treeSize() + " but the store's latest head is "
                        + (stored == null ? "none" : "of size " + stored.treeSize()) + ": signed heads were removed");
            }
            if (stored.treeSize() == remembered.treeSize() && !stored.equals(remembered)) {
                throw new TreeHeadSigner.SigningRefused("the store's head of size " + stored.treeSize()
                        + " is not the one this signer signed: rewritten");
            }
        }
        if (stored != null && !signatureHolds(stored)) {
            throw new TreeHeadSigner.SigningRefused("the store's latest head (size " + stored.treeSize()
                    + ") does not hold a valid signature of key " + stored.keyId());
        }
        return stored;
    }

    private boolean signatureHolds(TreeHead head) {
        List<byte[]> key = jdbc.query("SELECT public_key FROM signing_key WHERE key_id = ?", (row, n) -> row.getBytes(1),
                head.keyId());
        return !key.isEmpty() && Checkpoints.signatureHolds(
                Ed25519.publicKey(Base64.getEncoder().encodeToString(key.get(0))), json.valueToTree(head));
    }

    @Override
    public Health health() {
        String reason = refusal;
        if (reason != null) {
            return Health.down().withDetail("signing", "stopped").withDetail("reason", reason).build();
        }
        return Health.up().withDetail("signing", "running").withDetail("keyId", signer.keyId())
                .withDetail("latestTreeSize", latest().map(TreeHead::treeSize).orElse(0L)).build();
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

    List<TreeHead> after(long treeSize, int limit) {
        return jdbc.query("SELECT * FROM tree_head WHERE tree_size > ? ORDER BY tree_size LIMIT ?",
                TreeHeads::treeHead, treeSize, limit);
    }

    /** Heads not yet acknowledged by the broker, oldest first. */
    List<TreeHead> unpublished(int limit) {
        return jdbc.query("SELECT * FROM tree_head WHERE published_at IS NULL ORDER BY tree_size LIMIT ?",
                TreeHeads::treeHead, limit);
    }

    void markPublished(long treeSize) {
        jdbc.update("UPDATE tree_head SET published_at = now() WHERE tree_size = ?", treeSize);
    }

    private Optional<TreeHead> one(String sql, Object... arguments) {
        return jdbc.query(sql, TreeHeads::treeHead, arguments).stream().findFirst();
    }

    private static TreeHead treeHead(ResultSet row, int number) throws SQLException {
        return new TreeHead(row.getLong("tree_size"), row.getString("root_hash"), row.getString("signed_at"),
                row.getString("key_id"), row.getString("next_key"), row.getString("signature"));
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
