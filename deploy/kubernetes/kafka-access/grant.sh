#!/usr/bin/env bash
# The ledger's services on an existing broker, as LedgerBrokerAccess does for the local stack: their SCRAM-SHA-256
# logins (ledger-command, ledger-query), their ACLs (acls.txt) and, with CREATE_TOPICS=true, the ledger's topics
# (topics.txt). Idempotent: run it again after a password change. Agencies' logins are not made here: the command
# service issues them (POST /api/admin/agencies/{code}/broker-login), with their topic and ACLs.
#
# Runs in a Kafka image (/opt/kafka/bin): the compose file's kafka-access service, the Kubernetes Job
# ledger-kafka-access. Environment:
#   KAFKA_BOOTSTRAP_SERVERS                  the broker
#   ADMIN_SECURITY_PROTOCOL, ADMIN_SASL_MECHANISM, ADMIN_JAAS_CONFIG   how this script logs in (a super user)
#   KAFKA_PASSWORD_COMMAND, KAFKA_PASSWORD_QUERY   the services' passwords (letters and digits only)
#   CREATE_TOPICS (false), TOPIC_PARTITIONS (3), TOPIC_REPLICATION_FACTOR (1)
set -euo pipefail

BIN="${KAFKA_BIN:-/opt/kafka/bin}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
: "${KAFKA_BOOTSTRAP_SERVERS:?}" "${ADMIN_SECURITY_PROTOCOL:?}" "${ADMIN_SASL_MECHANISM:?}" "${ADMIN_JAAS_CONFIG:?}"
: "${KAFKA_PASSWORD_COMMAND:?}" "${KAFKA_PASSWORD_QUERY:?}"

config="$(mktemp)"
trap 'rm -f "$config"' EXIT
chmod 600 "$config"
printf 'security.protocol=%s\nsasl.mechanism=%s\nsasl.jaas.config=%s\n' \
  "$ADMIN_SECURITY_PROTOCOL" "$ADMIN_SASL_MECHANISM" "$ADMIN_JAAS_CONFIG" > "$config"
admin=(--bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --command-config "$config")

# The broker may still be starting: wait for it to answer.
for attempt in $(seq 1 60); do
  if "$BIN/kafka-topics.sh" "${admin[@]}" --list > /dev/null 2>&1; then break; fi
  [ "$attempt" -lt 60 ] || { echo "grant.sh: the broker at $KAFKA_BOOTSTRAP_SERVERS does not answer" >&2; exit 1; }
  sleep 5
done

if [ "${CREATE_TOPICS:-false}" = true ]; then
  grep -v '^\s*\(#\|$\)' "$HERE/topics.txt" | while read -r topic; do
    "$BIN/kafka-topics.sh" "${admin[@]}" --create --if-not-exists --topic "$topic" \
      --partitions "${TOPIC_PARTITIONS:-3}" --replication-factor "${TOPIC_REPLICATION_FACTOR:-1}" \
      --config retention.ms=-1
  done
fi

login() { # login USER PASSWORD
  case "$2" in
    *[!A-Za-z0-9]*) echo "grant.sh: the password of $1 must be letters and digits only" >&2; exit 1 ;;
  esac
  "$BIN/kafka-configs.sh" "${admin[@]}" --alter --entity-type users --entity-name "$1" \
    --add-config "SCRAM-SHA-256=[iterations=8192,password=$2]"
}
login ledger-command "$KAFKA_PASSWORD_COMMAND"
login ledger-query "$KAFKA_PASSWORD_QUERY"

grep -v '^\s*\(#\|$\)' "$HERE/acls.txt" | while read -r principal resource pattern name operations; do
  case "$resource" in
    topic) target=(--topic "$name") ;;
    group) target=(--group "$name") ;;
    cluster) target=(--cluster) ;;
    *) echo "grant.sh: unknown resource type $resource" >&2; exit 1 ;;
  esac
  ops=()
  for op in ${operations//,/ }; do ops+=(--operation "$op"); done
  "$BIN/kafka-acls.sh" "${admin[@]}" --add --allow-principal "$principal" "${target[@]}" \
    --resource-pattern-type "$pattern" "${ops[@]}" > /dev/null
done
echo "grant.sh: logins and ACLs of ledger-command and ledger-query are in place"
