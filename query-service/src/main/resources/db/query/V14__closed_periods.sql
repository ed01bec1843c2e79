-- Closed reporting periods and the corrections made to them (issue 13). A correction is an activity event that
-- carries correction: true and its reason in its envelope; dated_on is the date of the fact it states (the step's
-- own date, else the day it happened), what the periods are compared with.
ALTER TABLE activity_event ADD COLUMN correction_reason TEXT, ADD COLUMN dated_on DATE;
CREATE INDEX activity_event_correction ON activity_event (dated_on) WHERE correction_reason IS NOT NULL;

CREATE TABLE closed_period (
    period_id       VARCHAR(200) PRIMARY KEY,
    agency          VARCHAR(64),
    date_from       DATE         NOT NULL,
    date_to         DATE         NOT NULL,
    reason          TEXT,
    closed_by       VARCHAR(64),
    closed_at       TIMESTAMPTZ  NOT NULL,
    global_sequence BIGINT       NOT NULL
);
