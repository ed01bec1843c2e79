CREATE TABLE activity_view (
    id                    VARCHAR(200) PRIMARY KEY,
    lead_agency           VARCHAR(64)  NOT NULL,
    title                 TEXT,
    description           TEXT,
    state                 VARCHAR(16)  NOT NULL,
    axes                  TEXT[]       NOT NULL DEFAULT '{}',
    regions               TEXT[]       NOT NULL DEFAULT '{}',
    target_groups         TEXT[]       NOT NULL DEFAULT '{}',
    planned_start         DATE,
    planned_end           DATE,
    planned_amount        NUMERIC,
    planned_currency      VARCHAR(3),
    committed_amount      NUMERIC,
    committed_currency    VARCHAR(3),
    committed_on          DATE,
    started_on            DATE,
    completed_on          DATE,
    amount_spent          NUMERIC,
    spent_currency        VARCHAR(3),
    beneficiaries_reached BIGINT,
    suspended_on          DATE,
    cancelled_on          DATE,
    cancel_reason         TEXT,
    -- Aggregate sequence of the last applied event, 0-based as Axon counts: a redelivered event is not above it.
    version               BIGINT       NOT NULL,
    last_global_sequence  BIGINT       NOT NULL,
    updated_at            TIMESTAMPTZ  NOT NULL
);

CREATE INDEX activity_view_lead_agency ON activity_view (lead_agency);
CREATE INDEX activity_view_state ON activity_view (state);
-- GIN indexes serve the axis and region filters (axes @> ARRAY[...]).
CREATE INDEX activity_view_axes ON activity_view USING GIN (axes);
CREATE INDEX activity_view_regions ON activity_view USING GIN (regions);

CREATE TABLE activity_partner (
    activity_id VARCHAR(200) NOT NULL REFERENCES activity_view (id) ON DELETE CASCADE,
    agency      VARCHAR(64)  NOT NULL,
    role        VARCHAR(16)  NOT NULL,
    PRIMARY KEY (activity_id, agency, role)
);

CREATE INDEX activity_partner_agency ON activity_partner (agency);

CREATE TABLE agency (
    code            VARCHAR(64) PRIMARY KEY,
    name            TEXT,
    kind            VARCHAR(32),
    registered_at   TIMESTAMPTZ NOT NULL,
    global_sequence BIGINT      NOT NULL
);

CREATE TABLE axis (
    code            VARCHAR(64) PRIMARY KEY,
    title           TEXT,
    description     TEXT,
    defined_at      TIMESTAMPTZ NOT NULL,
    global_sequence BIGINT      NOT NULL
);
