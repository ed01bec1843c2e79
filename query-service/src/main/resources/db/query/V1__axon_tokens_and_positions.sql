-- Axon's JdbcTokenStore, default schema (unquoted names fold to lower case); bytea, not oid, for the token.
CREATE TABLE tokenentry (
    processorname VARCHAR(255) NOT NULL,
    segment       INTEGER      NOT NULL,
    token         BYTEA        NULL,
    tokentype     VARCHAR(255) NULL,
    timestamp     VARCHAR(255) NULL,
    owner         VARCHAR(255) NULL,
    PRIMARY KEY (processorname, segment)
);

-- How far each projection has got, written in the same transaction as its rows.
CREATE TABLE projection_position (
    projection      VARCHAR(100) PRIMARY KEY,
    global_sequence BIGINT       NOT NULL,
    event_time      TIMESTAMPTZ  NOT NULL
);
