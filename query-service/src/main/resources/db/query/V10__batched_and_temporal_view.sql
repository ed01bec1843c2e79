-- The activity-view read model rebuilt for batches and for time (issue 9). Its tables are recreated empty and its
-- token and position forgotten: the processor then replays ledger.events from the start (the topic keeps every event)
-- into the new tables.
DELETE FROM tokenentry WHERE processorname = 'activity-view';
DELETE FROM projection_position WHERE projection = 'activity-view';
DELETE FROM projection_pending WHERE projection = 'activity-view';
DROP TABLE convergence_pair, activity_scope, activity_partner, activity_view, convergence_state_count,
    convergence_agency_count, convergence_budget;
TRUNCATE agency, axis;

-- The current state of each activity, whole: answers reads by id and lists.
CREATE TABLE activity_view (
    id                    VARCHAR(200) PRIMARY KEY,
    lead_agency           VARCHAR(64)  NOT NULL,
    title                 TEXT,
    description           TEXT,
    state                 VARCHAR(16)  NOT NULL,
    axes                  TEXT[]       NOT NULL,
    regions               TEXT[]       NOT NULL,
    target_groups         TEXT[]       NOT NULL,
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
    updated_at            TIMESTAMPTZ  NOT NULL,
    -- The current version's stamp on both time lines (see activity_version) and its footprint segment.
    recorded_from         TIMESTAMPTZ  NOT NULL,
    occurred_from         TIMESTAMPTZ  NOT NULL,
    segment               INTEGER      NOT NULL
);
-- No GIN on the arrays: every event rewrites its activity's row, and a list filtered by axis or region reads pages of
-- it in id order (measured: dropping three indexes, these two and a wide cell index, took a backlog of 270,000 events
-- from 6,300 to 8,700 events/s).
CREATE INDEX activity_view_lead_agency ON activity_view (lead_agency);
CREATE INDEX activity_view_state ON activity_view (state);

CREATE TABLE activity_partner (
    activity_id VARCHAR(200) NOT NULL,
    agency      VARCHAR(64)  NOT NULL,
    role        VARCHAR(16)  NOT NULL,
    PRIMARY KEY (activity_id, agency, role)
);
CREATE INDEX activity_partner_agency ON activity_partner (agency);

-- Every version of every activity (the state after each of its events), narrow: what the convergence reads group.
-- A version holds from its stamp (recorded_from, occurred_from) until both time lines reach the next version's
-- stamp (recorded_to, occurred_to; 'infinity' for the current version). The view as known at K about the time V is
-- the versions with recorded_from <= K AND occurred_from <= V AND NOT (recorded_to <= K AND occurred_to <= V).
-- Current versions are a partition of their own: live reads scan only them.
CREATE TABLE activity_version (
    activity_id           VARCHAR(200) NOT NULL,
    version               BIGINT       NOT NULL,
    is_current            BOOLEAN      NOT NULL,
    global_sequence       BIGINT       NOT NULL,
    recorded_from         TIMESTAMPTZ  NOT NULL,
    occurred_from         TIMESTAMPTZ  NOT NULL,
    recorded_to           TIMESTAMPTZ  NOT NULL,
    occurred_to           TIMESTAMPTZ  NOT NULL,
    lead_agency           VARCHAR(64)  NOT NULL,
    title                 TEXT,
    state                 VARCHAR(16)  NOT NULL,
    axes                  TEXT[]       NOT NULL,
    regions               TEXT[]       NOT NULL,
    target_groups         TEXT[]       NOT NULL,
    partner_agencies      TEXT[]       NOT NULL,
    partner_roles         TEXT[]       NOT NULL,
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
    PRIMARY KEY (activity_id, version, is_current)
) PARTITION BY LIST (is_current);
CREATE TABLE activity_version_current PARTITION OF activity_version FOR VALUES IN (true);
CREATE TABLE activity_version_closed PARTITION OF activity_version FOR VALUES IN (false);
-- "The last event recorded by then", for the freshness of an answer as of a past instant.
CREATE INDEX activity_version_recorded ON activity_version (recorded_from, global_sequence);

-- Footprint segments: runs of an activity's versions with the same cells, period, partners and occupancy, with the
-- same kind of range on both time lines. Pairs depend on footprints alone, so they are kept per pair of segments.
CREATE TABLE activity_segment (
    activity_id      VARCHAR(200) NOT NULL,
    segment          INTEGER      NOT NULL,
    lead_agency      VARCHAR(64)  NOT NULL,
    axes             TEXT[]       NOT NULL,
    regions          TEXT[]       NOT NULL,
    target_groups    TEXT[]       NOT NULL,
    partner_agencies TEXT[]       NOT NULL,
    period_start     DATE         NOT NULL,
    period_end       DATE         NOT NULL,
    occupying        BOOLEAN      NOT NULL,
    recorded_from    TIMESTAMPTZ  NOT NULL,
    occurred_from    TIMESTAMPTZ  NOT NULL,
    recorded_to      TIMESTAMPTZ  NOT NULL,
    occurred_to      TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (activity_id, segment)
);

-- One row per occupying segment x axis x region x target group: what the projection's in-memory cell index is read
-- from (convergence/CellIndex), and what a rebuild's catch-up searches with SQL.
CREATE TABLE activity_scope (
    activity_id   VARCHAR(200) NOT NULL,
    segment       INTEGER      NOT NULL,
    axis          VARCHAR(64)  NOT NULL,
    region        VARCHAR(64)  NOT NULL,
    target_group  VARCHAR(64)  NOT NULL,
    lead_agency   VARCHAR(64)  NOT NULL,
    period_start  DATE         NOT NULL,
    period_end    DATE         NOT NULL,
    recorded_from TIMESTAMPTZ  NOT NULL,
    occurred_from TIMESTAMPTZ  NOT NULL,
    recorded_to   TIMESTAMPTZ  NOT NULL,
    occurred_to   TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (activity_id, segment, axis, region, target_group)
);

-- Activities of different agencies that share a cell during overlapping periods, per pair of their footprint
-- segments, with both segments' ranges: DUPLICATION when neither names the other's agency as a partner, JOINT when
-- one does. A pair holds where both its segments hold; the live view's pairs are those of two current segments.
CREATE TABLE convergence_pair (
    activity_a      VARCHAR(200)  NOT NULL,
    segment_a       INTEGER       NOT NULL,
    activity_b      VARCHAR(200)  NOT NULL,
    segment_b       INTEGER       NOT NULL,
    kind            VARCHAR(16)   NOT NULL CHECK (kind IN ('DUPLICATION', 'JOINT')),
    shared_axes     TEXT[]        NOT NULL,
    shared_regions  TEXT[]        NOT NULL,
    shared_groups   TEXT[]        NOT NULL,
    overlap_start   DATE          NOT NULL,
    overlap_end     DATE          NOT NULL,
    overlap_days    INTEGER       NOT NULL,
    score           NUMERIC(5, 4) NOT NULL,
    a_recorded_from TIMESTAMPTZ   NOT NULL,
    a_occurred_from TIMESTAMPTZ   NOT NULL,
    a_recorded_to   TIMESTAMPTZ   NOT NULL,
    a_occurred_to   TIMESTAMPTZ   NOT NULL,
    b_recorded_from TIMESTAMPTZ   NOT NULL,
    b_occurred_from TIMESTAMPTZ   NOT NULL,
    b_recorded_to   TIMESTAMPTZ   NOT NULL,
    b_occurred_to   TIMESTAMPTZ   NOT NULL,
    PRIMARY KEY (activity_a, segment_a, activity_b, segment_b),
    CHECK (activity_a < activity_b)
);
CREATE INDEX convergence_pair_b ON convergence_pair (activity_b, segment_b);
CREATE INDEX convergence_pair_live ON convergence_pair (kind, score DESC, activity_a, activity_b)
    WHERE a_recorded_to = 'infinity' AND b_recorded_to = 'infinity';

-- Live counters, kept by every batch: per pair of dimensions (axis, region, targetGroup, agency), per cell, state and
-- the currencies of the money ('' for none), how many activities and how much money. An activity counts once in each
-- cell it touches. Money has a fixed scale so that sums read the same however they were added up.
CREATE TABLE convergence_cell (
    dims               VARCHAR(32)    NOT NULL,
    row_key            VARCHAR(64)    NOT NULL,
    col_key            VARCHAR(64)    NOT NULL,
    state              VARCHAR(16)    NOT NULL,
    planned_currency   VARCHAR(3)     NOT NULL,
    committed_currency VARCHAR(3)     NOT NULL,
    spent_currency     VARCHAR(3)     NOT NULL,
    activities         BIGINT         NOT NULL,
    planned            NUMERIC(28, 4) NOT NULL,
    committed          NUMERIC(28, 4) NOT NULL,
    spent              NUMERIC(28, 4) NOT NULL,
    PRIMARY KEY (dims, row_key, col_key, state, planned_currency, committed_currency, spent_currency)
);

-- Per axis and per lead agency: activities, how many reached each stage, people reached.
CREATE TABLE convergence_progress (
    dimension     VARCHAR(16) NOT NULL CHECK (dimension IN ('axis', 'agency')),
    key           VARCHAR(64) NOT NULL,
    activities    BIGINT      NOT NULL,
    committed     BIGINT      NOT NULL,
    started       BIGINT      NOT NULL,
    completed     BIGINT      NOT NULL,
    suspended     BIGINT      NOT NULL,
    cancelled     BIGINT      NOT NULL,
    beneficiaries BIGINT      NOT NULL,
    PRIMARY KEY (dimension, key)
);

-- Per axis and per lead agency and committed currency: committed, spent in that currency, committed of completed.
CREATE TABLE convergence_execution (
    dimension              VARCHAR(16)    NOT NULL CHECK (dimension IN ('axis', 'agency')),
    key                    VARCHAR(64)    NOT NULL,
    currency               VARCHAR(3)     NOT NULL,
    activities             BIGINT         NOT NULL,
    committed              NUMERIC(28, 4) NOT NULL,
    spent                  NUMERIC(28, 4) NOT NULL,
    committed_of_completed NUMERIC(28, 4) NOT NULL,
    PRIMARY KEY (dimension, key, currency)
);

-- Live reads that list a few activities out of many: the national ones (beside each gap) and those with partners
-- (joint work), each from a small index rather than a scan of every current version.
CREATE INDEX activity_scope_national ON activity_scope (axis, activity_id)
    WHERE region = 'NATIONAL' AND recorded_to = 'infinity';
CREATE INDEX activity_version_with_partners ON activity_version (activity_id)
    WHERE cardinality(partner_agencies) > 0;
-- Live reads filtered by axis, region or target group (a dashboard's usual filters) read the current versions that
-- carry them, not all: one GIN index over the three arrays, on the current partition only (a closed version is
-- never read live). Measured at 100,000 activities: a matrix filtered by one axis and a period 80 -> 17 ms.
CREATE INDEX activity_version_current_dimensions ON activity_version_current
    USING gin (axes, regions, target_groups);
