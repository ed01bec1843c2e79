#!/bin/sh
# Runs postgres-init.sql with the event reader's password from the environment (psql variable, never in the file).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v event_reader_password="$LEDGER_EVENT_STORE_PASSWORD" -f /docker-entrypoint-initdb.d/ledger/postgres-init.sql
