-- An event's global index is handed out when it is inserted, but readers see it only when its transaction commits.
-- Readers that follow the store (the checkpointer, the Kafka publisher) wait for such a gap only so long (Axon's
-- gap timeout, 60 s here) and then move on: an event committed later would never get a leaf nor reach Kafka.
-- So no transaction may commit an event more than 30 s after it began: checked at commit (a deferred constraint
-- trigger; now() is the transaction's start, clock_timestamp() the commit's), whatever code wrote the event.
-- The transaction is rolled back; its sender was not acknowledged and may retry under its idempotency key.
CREATE FUNCTION ledger_refuse_late_event_commit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF clock_timestamp() - now() > interval '30 seconds' THEN
        RAISE EXCEPTION 'event % of % would commit % after its transaction began (at most 30 s): readers may have moved past its global index %',
            NEW.eventidentifier, NEW.aggregateidentifier, clock_timestamp() - now(), NEW.globalindex
            USING ERRCODE = '57014';
    END IF;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER domainevententry_commits_in_time
    AFTER INSERT ON domainevententry DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_late_event_commit();
