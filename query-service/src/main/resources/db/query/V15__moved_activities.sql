-- Identifiers that move (issue 13): an activity re-keyed to another identifier keeps its rows under the old one,
-- marked with where it went — the old identifier's reads redirect there, and from the move on it counts nowhere (the
-- versions of moved activities are left out of every convergence read; its footprint occupies nothing).
ALTER TABLE activity_view ADD COLUMN moved_to VARCHAR(200);
ALTER TABLE activity_version ADD COLUMN moved_to VARCHAR(200);
