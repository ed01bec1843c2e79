-- The credentials of agencies, auditors and administrators, kept from ApiKeyIssued / ApiKeyRevoked in the
-- transaction that stores the event. Only the salted hash of a key is known (see Credentials).
CREATE TABLE api_key (
    key_id          VARCHAR(32)  PRIMARY KEY,
    agency_code     VARCHAR(64),
    role            VARCHAR(16)  NOT NULL,
    label           TEXT,
    credential_hash VARCHAR(200) NOT NULL,
    issued_at       TIMESTAMPTZ  NOT NULL,
    revoked_at      TIMESTAMPTZ,
    revoked_reason  TEXT
);

CREATE INDEX api_key_agency ON api_key (agency_code);

-- Idempotency keys belong to their sender (an agency, or a role): "ANAPEC/retry-17" and "OFPPT/retry-17" are two
-- keys, and one agency cannot learn of another's requests by reusing its keys.
ALTER TABLE idempotent_request ALTER COLUMN idempotency_key TYPE VARCHAR(300);
