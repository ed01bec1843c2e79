-- Duplications decided (issue 13): every coordinator decision on a pair of activities, in the pair's order. The reads
-- show the latest one, the history, and whether either activity's scope or period changed after it (the pair is
-- then reopened), as known at any moment. Written by the activity-view projection, in its tables.
CREATE TABLE duplication_decision (
    pair_id         VARCHAR(420) NOT NULL,
    version         BIGINT       NOT NULL,
    activity_a      VARCHAR(200) NOT NULL,
    activity_b      VARCHAR(200) NOT NULL,
    decision        VARCHAR(16)  NOT NULL,
    continuing      VARCHAR(200),
    reason          TEXT,
    decided_by      VARCHAR(64)  NOT NULL,
    decided_at      TIMESTAMPTZ  NOT NULL,
    global_sequence BIGINT       NOT NULL,
    PRIMARY KEY (pair_id, version)
);
CREATE INDEX duplication_decision_pair ON duplication_decision (activity_a, activity_b);
