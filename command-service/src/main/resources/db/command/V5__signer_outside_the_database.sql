-- The signing key leaves the database (issue "Audit that cannot be fooled"): the signer keeps it in a file or the
-- environment and moves a key found here out on first start. The table keeps every public key ever used.
ALTER TABLE signing_key ALTER COLUMN private_key DROP NOT NULL;

-- A head that hands signing over to a new key names it (base64 X.509 public key), inside what it signs.
ALTER TABLE tree_head ADD COLUMN next_key TEXT;

-- Heads are published to ledger.checkpoints from this table until the broker acknowledges them: none is lost
-- while the broker is away. Heads signed before this migration count as sent.
ALTER TABLE tree_head ADD COLUMN published_at TIMESTAMPTZ;
UPDATE tree_head SET published_at = now();
CREATE INDEX tree_head_unpublished ON tree_head (tree_size) WHERE published_at IS NULL;
