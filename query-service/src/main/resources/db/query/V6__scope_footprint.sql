-- Each cell row carries what the duplication search filters on, so candidates are found from the cell index alone,
-- without reading activity_view: other lead agencies, still occupying the cell, with an overlapping period.
ALTER TABLE activity_scope
    ADD COLUMN lead_agency  VARCHAR(64),
    ADD COLUMN period_start DATE,
    ADD COLUMN period_end   DATE,
    ADD COLUMN occupying    BOOLEAN;

UPDATE activity_scope s
SET lead_agency  = v.lead_agency,
    period_start = coalesce(v.started_on, v.planned_start),
    period_end   = greatest(coalesce(v.completed_on, v.planned_end), coalesce(v.started_on, v.planned_start)),
    occupying    = v.state <> 'CANCELLED'
FROM activity_view v
WHERE v.id = s.activity_id;

ALTER TABLE activity_scope
    ALTER COLUMN lead_agency SET NOT NULL,
    ALTER COLUMN period_start SET NOT NULL,
    ALTER COLUMN period_end SET NOT NULL,
    ALTER COLUMN occupying SET NOT NULL;

DROP INDEX activity_scope_cell;
CREATE INDEX activity_scope_cell ON activity_scope (axis, region, target_group, period_start)
    INCLUDE (activity_id, lead_agency, period_end, occupying);
