-- Closed reporting periods (issue 13), kept from their PeriodClosed events in the transaction that stores them, for
-- the activity rulebook to consult: a fact dated inside a closed period is recorded only as a correction.
CREATE TABLE known_closed_period (
    period_id VARCHAR(200) PRIMARY KEY,
    agency    VARCHAR(64),
    date_from DATE         NOT NULL,
    date_to   DATE         NOT NULL,
    reason    TEXT
);
