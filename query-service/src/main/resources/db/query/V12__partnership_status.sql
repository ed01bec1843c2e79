-- Partnerships both sides agree on (issue 13): a partner the lead names is CLAIMED until it confirms or contests,
-- an agency's own request is REQUESTED until the lead accepts or declines it. The activity view keeps each
-- partnership's status (and the contestation's or refusal's reason); each version lists its named partners' statuses,
-- and only CONFIRMED partners make a pair joint work. What the view held before was built by the old rule (every named
-- partner counted), so its tables are emptied and its position forgotten: the processor replays ledger.events from
-- the start (the topic keeps every event) with the new rule.
DELETE FROM tokenentry WHERE processorname = 'activity-view';
DELETE FROM projection_position WHERE projection = 'activity-view';
DELETE FROM projection_pending WHERE projection = 'activity-view';
TRUNCATE activity_view, activity_partner, activity_version, activity_segment, activity_scope, convergence_pair,
    convergence_cell, convergence_progress, convergence_execution, agency, axis;

ALTER TABLE activity_partner ADD COLUMN status VARCHAR(16) NOT NULL, ADD COLUMN reason TEXT;
ALTER TABLE activity_version ADD COLUMN partner_statuses TEXT[] NOT NULL;
