-- Several command service instances may write one store. Each keeps in memory what it last read and must forget
-- what another instance changed. API keys and closed reporting periods are announced here, at the commit of the
-- transaction that appended them (NOTIFY is transactional): channel ledger_appended says who appended (the
-- connection's application_name: "command-service <instance>") on the first line, then "<type> <id>".
--
-- Only those two kinds, which are rare: PostgreSQL serialises the commits of all transactions that NOTIFY (a lock
-- held from before the commit's WAL flush until after it), which would undo the group commit's concurrent lanes if
-- every append notified. Activities are announced by the service itself just after each batch commits
-- (AppendAnnouncer); one such announcement lost to a crash only costs another instance a second attempt at a
-- command (GroupCommit), never a wrong answer.
CREATE FUNCTION ledger_announce_appended() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('ledger_appended',
            current_setting('application_name') || E'\n' || NEW.type || ' ' || NEW.aggregateidentifier || E'\n');
    RETURN NULL;
END
$$;

CREATE TRIGGER domainevententry_announce_appended
    AFTER INSERT ON domainevententry
    FOR EACH ROW WHEN (NEW.type IN ('ApiKey', 'ReportingPeriod'))
    EXECUTE FUNCTION ledger_announce_appended();
