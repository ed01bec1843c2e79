-- Several command service instances may write one store. Each keeps in memory what it last read and must forget
-- what another instance changed. Keys and closed periods are announced here, at the commit of the transaction that
-- appended them (NOTIFY is transactional): channel ledger_appended says who appended (the connection's
-- application_name: "command-service <instance>") on the first line, then one "<type> <id>" line per aggregate, in
-- as many notifications as the 8,000-byte payload limit needs.
--
-- Activities are not announced here: PostgreSQL serialises the commits of all transactions that NOTIFY (a lock held
-- from before the commit's WAL flush until after it), which would undo the group commit's concurrent lanes. The
-- service announces its activities itself just after each batch commits (AppendAnnouncer); one such announcement
-- lost to a crash only costs another instance a second attempt at a command (GroupCommit), never a wrong answer.
CREATE FUNCTION ledger_announce_appended() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    writer text := current_setting('application_name');
    chunk text := '';
    line text;
BEGIN
    FOR line IN SELECT DISTINCT type || ' ' || aggregateidentifier FROM appended WHERE type <> 'Activity' LOOP
        IF octet_length(chunk) + octet_length(line) > 7000 THEN
            PERFORM pg_notify('ledger_appended', writer || E'\n' || chunk);
            chunk := '';
        END IF;
        chunk := chunk || line || E'\n';
    END LOOP;
    IF chunk <> '' THEN
        PERFORM pg_notify('ledger_appended', writer || E'\n' || chunk);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER domainevententry_announce_appended
    AFTER INSERT ON domainevententry REFERENCING NEW TABLE AS appended
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_announce_appended();
