-- Agencies' logins on the Kafka broker (SASL/SCRAM principal agency-<CODE>, allowed to write only its own topic
-- ledger.commands.<CODE>). The broker keeps the salted credential; the ledger keeps who issued or revoked it, when.
CREATE TABLE broker_login (
    agency_code VARCHAR(64)  PRIMARY KEY,
    principal   VARCHAR(100) NOT NULL,
    topic       VARCHAR(255) NOT NULL,
    issued_by   VARCHAR(100) NOT NULL,
    issued_at   TIMESTAMPTZ  NOT NULL DEFAULT now(),
    revoked_by  VARCHAR(100),
    revoked_at  TIMESTAMPTZ
);
