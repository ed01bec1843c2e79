#!/usr/bin/env bash
# The auditors' independent replay: rebuilds the convergence projection from the event store into a fresh schema
# and prints its digest. Defaults point at the stack deploy/local.sh runs; see docs/audit.md "Independent replay".
#   deploy/replay.sh --compare-with=http://localhost:8082     compare with the live projection
#   deploy/replay.sh --up-to-sequence=1200 --keep              a past position, tables kept to examine
set -euo pipefail
cd "$(dirname "$0")/.."
jar=query-service/target/query-service-0.1.0-SNAPSHOT-exec.jar
if [ ! -f "$jar" ]; then
  mvn -B -q -ntp -DskipTests package -pl query-service -am
fi
# --compare-with reads an audit endpoint: the local stack's auditor key, unless one is given.
keys="${LEDGER_HOME:-deploy/.local}/keys.env"
if [ -z "${LEDGER_AUDITOR_KEY:-}" ] && [ -r "$keys" ]; then
  LEDGER_AUDITOR_KEY="$(sed -n 's/^KEY_AUDITOR=//p' "$keys")"
  export LEDGER_AUDITOR_KEY
fi
exec java -jar "$jar" replay "$@"
