-- The ledger's API keys as the query side learns them from ApiKeyIssued / ApiKeyRevoked (salted hashes only):
-- auditors and administrators authenticate here with the keys the command service issued.
CREATE TABLE access_key (
    key_id          VARCHAR(32)  PRIMARY KEY,
    agency_code     VARCHAR(64),
    role            VARCHAR(16)  NOT NULL,
    credential_hash VARCHAR(200) NOT NULL,
    revoked         BOOLEAN      NOT NULL DEFAULT false,
    global_sequence BIGINT       NOT NULL
);
