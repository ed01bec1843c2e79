-- Every activity event as recorded; the global sequence is the key, so a redelivered event adds no row.
CREATE TABLE activity_event (
    global_sequence    BIGINT       PRIMARY KEY,
    event_id           VARCHAR(100) NOT NULL UNIQUE,
    activity_id        VARCHAR(200) NOT NULL,
    aggregate_sequence BIGINT       NOT NULL,
    event_type         VARCHAR(100) NOT NULL,
    payload            JSONB        NOT NULL,
    recorded_by        VARCHAR(64),
    occurred_at        TIMESTAMPTZ,
    recorded_at        TIMESTAMPTZ  NOT NULL,
    idempotency_key    VARCHAR(200)
);

-- Serves the history of one activity in order, and refuses two events at one place in its stream.
CREATE UNIQUE INDEX activity_event_activity ON activity_event (activity_id, aggregate_sequence);
