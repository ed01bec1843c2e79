-- The duplication search asks "other agencies in this cell with an overlapping period": two range scans, below and
-- above the activity's own agency, need lead_agency in the index before the period (an OR of < and > cannot use it).
DROP INDEX activity_scope_cell;
CREATE INDEX activity_scope_cell_agency ON activity_scope (axis, region, target_group, lead_agency, period_start)
    INCLUDE (activity_id, period_end, occupying);
