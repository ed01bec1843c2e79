-- Agencies and axes known to the command side, kept from their events in the same transaction that stores them,
-- so a proposal naming an unknown agency or axis can be refused.
CREATE TABLE known_agency (
    code VARCHAR(32)  PRIMARY KEY,
    name VARCHAR(300) NOT NULL,
    kind VARCHAR(40)  NOT NULL
);

CREATE TABLE known_axis (
    code  VARCHAR(64)  PRIMARY KEY,
    title VARCHAR(300) NOT NULL
);

-- The first answer given to each Idempotency-Key, so a retry gets it again and stores nothing new.
CREATE TABLE idempotent_request (
    idempotency_key VARCHAR(200) PRIMARY KEY,
    request_hash    CHAR(64)     NOT NULL,
    response_status INTEGER      NOT NULL,
    response_body   TEXT         NOT NULL,
    location        VARCHAR(400),
    created_at      TIMESTAMPTZ  NOT NULL DEFAULT now()
);
