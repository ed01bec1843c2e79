-- The query service's database beside the command service's (POSTGRES_DB), as deploy/local.sh makes them
-- (ledger_command, ledger_query), and a login that may only read the event store (the query service's
-- LEDGER_EVENT_STORE_*: rebuilds and the auditors' replays). Runs once, on an empty data volume.
CREATE DATABASE ledger_query;
CREATE ROLE ledger_event_reader LOGIN PASSWORD :'event_reader_password';
GRANT CONNECT ON DATABASE ledger_command TO ledger_event_reader;
\connect ledger_command
GRANT USAGE ON SCHEMA public TO ledger_event_reader;
ALTER DEFAULT PRIVILEGES FOR ROLE ledger IN SCHEMA public GRANT SELECT ON TABLES TO ledger_event_reader;
