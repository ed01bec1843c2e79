-- The planned budget split by year (issue 13): each activity and each of its versions keeps the split its proposal
-- or latest revision carries, as JSON ([{"year": 2024, "amount": 1047945.21}, …]; the parts add up to the planned
-- amount, in its currency). Events stored before the split existed arrive upcast with the pro-rata split, so what the
-- view held is rebuilt: its tables are emptied and its position forgotten, and the processor replays ledger.events
-- from the start (as V12 did), reading every old proposal and revision through the upcaster.
ALTER TABLE activity_view ADD COLUMN planned_by_year TEXT;
ALTER TABLE activity_version ADD COLUMN planned_by_year TEXT;

DELETE FROM tokenentry WHERE processorname = 'activity-view';
DELETE FROM projection_position WHERE projection = 'activity-view';
DELETE FROM projection_pending WHERE projection = 'activity-view';
TRUNCATE activity_view, activity_partner, activity_version, activity_segment, activity_scope, convergence_pair,
    convergence_cell, convergence_progress, convergence_execution, duplication_decision, agency, axis;
