-- global_sequence stays the furthest event applied; complete_sequence is the prefix held in full (every event up
-- to it applied), which partitions running ahead of each other can leave behind the furthest.
ALTER TABLE projection_position ADD COLUMN complete_sequence BIGINT;
UPDATE projection_position SET complete_sequence = global_sequence;
ALTER TABLE projection_position ALTER COLUMN complete_sequence SET NOT NULL;

-- Events applied ahead of a predecessor not yet applied; they join the prefix once it reaches them.
CREATE TABLE projection_pending (
    projection        VARCHAR(100) NOT NULL,
    global_sequence   BIGINT       NOT NULL,
    previous_sequence BIGINT,
    PRIMARY KEY (projection, global_sequence)
);
