-- The Merkle tree over the ledger (RFC 6962): one leaf per stored event in the order the checkpointer saw them,
-- every perfect subtree's hash kept so any proof is O(log n) lookups, and the signed tree heads published.
CREATE TABLE merkle_leaf (
    tree_index      BIGINT       PRIMARY KEY,
    global_sequence BIGINT       NOT NULL UNIQUE,
    event_id        VARCHAR(255) NOT NULL UNIQUE,
    event_hash      CHAR(64)     NOT NULL
);

CREATE TABLE merkle_node (
    level      INTEGER NOT NULL,
    node_index BIGINT  NOT NULL,
    hash       BYTEA   NOT NULL,
    PRIMARY KEY (level, node_index)
);

CREATE TABLE tree_head (
    tree_size BIGINT       PRIMARY KEY,
    root_hash CHAR(64)     NOT NULL,
    signed_at VARCHAR(40)  NOT NULL,
    key_id    VARCHAR(64)  NOT NULL,
    signature TEXT         NOT NULL
);

-- The demo's signing key, generated on first run when none is configured (ledger.audit.signing-key).
CREATE TABLE signing_key (
    key_id      VARCHAR(64) PRIMARY KEY,
    private_key BYTEA       NOT NULL,
    public_key  BYTEA       NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
