-- The live convergence view. activity_scope holds one row per activity × axis × region × target group: the
-- cells the matrix, gap and duplication reads work on, indexed by cell so that the activities sharing one are
-- found by an index lookup, never by comparing all pairs.
CREATE TABLE activity_scope (
    activity_id  VARCHAR(200) NOT NULL REFERENCES activity_view (id) ON DELETE CASCADE,
    axis         VARCHAR(64)  NOT NULL,
    region       VARCHAR(64)  NOT NULL,
    target_group VARCHAR(64)  NOT NULL,
    PRIMARY KEY (activity_id, axis, region, target_group)
);

CREATE INDEX activity_scope_cell ON activity_scope (axis, region, target_group);
CREATE INDEX activity_scope_axis_region ON activity_scope (axis, region);

-- Activities of different agencies that share a cell during overlapping periods, kept up to date as activities
-- change: DUPLICATION when neither names the other's agency as a partner, JOINT when one does.
CREATE TABLE convergence_pair (
    activity_a     VARCHAR(200) NOT NULL,
    activity_b     VARCHAR(200) NOT NULL,
    kind           VARCHAR(16)  NOT NULL CHECK (kind IN ('DUPLICATION', 'JOINT')),
    shared_axes    TEXT[]       NOT NULL,
    shared_regions TEXT[]       NOT NULL,
    shared_groups  TEXT[]       NOT NULL,
    overlap_start  DATE         NOT NULL,
    overlap_end    DATE         NOT NULL,
    overlap_days   INTEGER      NOT NULL,
    score          NUMERIC(5, 4) NOT NULL,
    PRIMARY KEY (activity_a, activity_b),
    CHECK (activity_a < activity_b)
);

CREATE INDEX convergence_pair_b ON convergence_pair (activity_b);
CREATE INDEX convergence_pair_kind_score ON convergence_pair (kind, score DESC);

-- Period filters compare against the activity's effective period (planned start; completion date once completed).
CREATE INDEX activity_view_period ON activity_view (planned_start, planned_end);
