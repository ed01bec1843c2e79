-- "When did this agency last report?" (the dashboard's agency page): its newest recorded event, found by the index
-- instead of a scan of the whole history; also as known at a past instant (recorded_at <= knownAt).
CREATE INDEX activity_event_recorded_by ON activity_event (recorded_by, recorded_at);
