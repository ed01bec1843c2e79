-- Per-axis summary, maintained incrementally by the activity-view processor. Rows are keyed by what they count,
-- so one activity change touches only its own axes' rows.
CREATE TABLE convergence_state_count (
    axis       VARCHAR(64) NOT NULL,
    state      VARCHAR(16) NOT NULL,
    activities BIGINT      NOT NULL,
    PRIMARY KEY (axis, state)
);

CREATE TABLE convergence_agency_count (
    axis       VARCHAR(64) NOT NULL,
    agency     VARCHAR(64) NOT NULL,
    activities BIGINT      NOT NULL,
    PRIMARY KEY (axis, agency)
);

-- One amount per axis, measure and currency: amounts in different currencies are never added.
CREATE TABLE convergence_budget (
    axis     VARCHAR(64) NOT NULL,
    measure  VARCHAR(16) NOT NULL CHECK (measure IN ('PLANNED', 'COMMITTED', 'SPENT')),
    currency VARCHAR(3)  NOT NULL,
    amount   NUMERIC     NOT NULL,
    PRIMARY KEY (axis, measure, currency)
);
