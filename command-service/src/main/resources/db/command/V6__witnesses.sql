-- Witnesses: outsiders who follow the signed tree heads, check each extends the last they saw, and co-sign it.
-- Registered by an administrator (who and when kept); their co-signatures are served beside the heads.
CREATE TABLE witness (
    key_id        VARCHAR(64)  PRIMARY KEY,
    name          VARCHAR(200) NOT NULL,
    public_key    TEXT         NOT NULL,
    registered_by VARCHAR(100) NOT NULL,
    registered_at TIMESTAMPTZ  NOT NULL DEFAULT now()
);

CREATE TABLE head_cosignature (
    tree_size      BIGINT      NOT NULL REFERENCES tree_head (tree_size),
    witness_key_id VARCHAR(64) NOT NULL REFERENCES witness (key_id),
    witnessed_at   VARCHAR(40) NOT NULL,
    signature      TEXT        NOT NULL,
    received_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tree_size, witness_key_id)
);
