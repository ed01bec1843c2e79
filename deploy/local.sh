#!/usr/bin/env bash
# Convergence Ledger on this machine, without Docker:
#   PostgreSQL + a KRaft Kafka broker (deploy/local-stack, one background JVM), the command service, the query service.
#
#   deploy/local.sh start | stop | status | restart
#
# Needs a JDK 17+ and Maven (to build), curl (health checks; installed with apt-get when run as root and missing).
# Works as root and as a normal user.
# Environment:
#   LEDGER_HOME        state directory (default <repo>/deploy/.local): data/, logs/, run/, tmp/, keys.env
#   LEDGER_PG_PORT     PostgreSQL port (15432)      LEDGER_KAFKA_PORT   Kafka port (19092; the controller uses +1)
#   COMMAND_PORT       command service (8081)       QUERY_PORT          query service (8082)
#   LEDGER_STACK_ONLY=1      start only PostgreSQL and Kafka
#   LEDGER_INSTANCES=2       two instances of each service (the second pair on COMMAND_PORT_2 / QUERY_PORT_2:
#                            8083 / 8084), sharing PostgreSQL and the broker (docs/deployment.md)
#   LEDGER_START_TIMEOUT     seconds to wait for the services to be healthy (180)
#   LEDGER_SKIP_BUILD=1      never run Maven (use the jars as they are)
#   LEDGER_STACK_JAVA_OPTS   JVM options of the infrastructure process (-Xmx1g)
#   LEDGER_JAVA_OPTS         JVM options of both services (sized for 2 cores, see SERVICE_JAVA_OPTS below)
#   LEDGER_BIND_ADDRESS      address the services listen on (127.0.0.1; 0.0.0.0 to reach them from elsewhere)
#   LEDGER_SIGNING_KEY_FILE  the Ed25519 key that signs tree heads (data/signing/signing-key.pem, made on first start)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LEDGER_HOME="${LEDGER_HOME:-$REPO/deploy/.local}"
case "$LEDGER_HOME" in /*) ;; *) LEDGER_HOME="$PWD/$LEDGER_HOME" ;; esac
DATA_DIR="$LEDGER_HOME/data"
LOG_DIR="$LEDGER_HOME/logs"
RUN_DIR="$LEDGER_HOME/run"
# The initial API keys (admin, auditor, one per scenario agency), written by the command service on first start.
KEYS_FILE="$LEDGER_HOME/keys.env"
TMP_DIR="$LEDGER_HOME/tmp"
# With the data it vouches for: wiping data/ starts a new ledger with a new key (the signer refuses a store that
# lost the heads it remembers signing). In production, point LEDGER_SIGNING_KEY_FILE elsewhere.
SIGNING_KEY_FILE="${LEDGER_SIGNING_KEY_FILE:-$DATA_DIR/signing/signing-key.pem}"
BIND_ADDRESS="${LEDGER_BIND_ADDRESS:-127.0.0.1}"

PG_PORT="${LEDGER_PG_PORT:-15432}"
KAFKA_PORT="${LEDGER_KAFKA_PORT:-19092}"
COMMAND_PORT="${COMMAND_PORT:-8081}"
QUERY_PORT="${QUERY_PORT:-8082}"
INSTANCES="${LEDGER_INSTANCES:-1}"
# The second instances' ports: set in check_ports_config, once the first ones are known to be numbers.
COMMAND_PORT_2="${COMMAND_PORT_2:-}"
QUERY_PORT_2="${QUERY_PORT_2:-}"
STACK_ONLY="${LEDGER_STACK_ONLY:-0}"
START_TIMEOUT="${LEDGER_START_TIMEOUT:-180}"
STACK_READY_TIMEOUT=120
STACK_JAVA_OPTS="${LEDGER_STACK_JAVA_OPTS:--Xmx1g}"
# Each service on a 2-core machine that it shares with PostgreSQL, Kafka and the other service: the throughput
# collector (no concurrent GC threads competing with requests, cheaper write barriers than G1), a heap that starts
# at 512 MB instead of growing step by step under load, and a ceiling far above the few hundred MB either uses, so
# a large ledger's reads have room (docs/write-side.md).
SERVICE_JAVA_OPTS="${LEDGER_JAVA_OPTS:--XX:+UseParallelGC -Xms512m -Xmx2g}"
DATABASES="ledger_command,ledger_query"
DB_USER=postgres
DB_PASSWORD=postgres

VERSION=0.1.0-SNAPSHOT
STACK_MODULE="$REPO/deploy/local-stack"
STACK_JAR="$STACK_MODULE/target/local-stack-$VERSION.jar"
STACK_CLASSPATH_FILE="$STACK_MODULE/target/runtime-classpath.txt"
STACK_MAIN=org.convergenceledger.stack.LocalStack
COMMAND_JAR="$REPO/command-service/target/command-service-$VERSION-exec.jar"
QUERY_JAR="$REPO/query-service/target/query-service-$VERSION-exec.jar"
VERIFIER_JAR="$REPO/shared-events/target/shared-events-$VERSION-verifier.jar"
READY_FILE="$RUN_DIR/stack.ready"

# ---------------------------------------------------------------------------------------------------------------------

say() { printf '%s\n' "$*"; }
warn() { printf 'local.sh: %s\n' "$*" >&2; }
die() { printf 'local.sh: %s\n' "$*" >&2; exit 1; }

usage() {
  cat >&2 <<EOF
usage: deploy/local.sh start|stop|status|restart
  start    build if needed, start PostgreSQL + Kafka, then the command and query services (LEDGER_STACK_ONLY=1: only the first two)
  stop     stop the services, then the infrastructure (data is kept in $DATA_DIR)
  status   which processes run, their ports and health
EOF
  exit 2
}

is_number() { [[ "$1" =~ ^[0-9]+$ ]]; }

check_ports_config() {
  local name value
  [ "$INSTANCES" = 1 ] || [ "$INSTANCES" = 2 ] || die "LEDGER_INSTANCES must be 1 or 2, not $INSTANCES"
  for name in PG_PORT KAFKA_PORT COMMAND_PORT QUERY_PORT START_TIMEOUT; do
    value="${!name}"
    is_number "$value" || die "$name must be a number, not '$value'"
  done
  COMMAND_PORT_2="${COMMAND_PORT_2:-$((COMMAND_PORT + 2))}"
  QUERY_PORT_2="${QUERY_PORT_2:-$((QUERY_PORT + 2))}"
  for name in COMMAND_PORT_2 QUERY_PORT_2; do
    value="${!name}"
    is_number "$value" || die "$name must be a number, not '$value'"
  done
  for name in PG_PORT KAFKA_PORT COMMAND_PORT QUERY_PORT COMMAND_PORT_2 QUERY_PORT_2; do
    value="${!name}"
    { [ "$value" -ge 1 ] && [ "$value" -le 65534 ]; } || die "$name must be a port between 1 and 65534, not '$value'"
  done
}

# --- prerequisites ---------------------------------------------------------------------------------------------------

require_java() {
  command -v java >/dev/null 2>&1 ||
    die "java not found on PATH: install a JDK 17 or newer (Debian/Ubuntu: apt-get install openjdk-17-jdk-headless)"
  local version major
  version="$(java -version 2>&1 | awk -F'"' '/version/ { print $2; exit }')"
  major="${version%%.*}"
  [ "$major" = "1" ] && major="$(printf '%s' "$version" | cut -d. -f2)"
  if ! is_number "$major" || [ "$major" -lt 17 ]; then
    die "java on PATH is version '${version:-unknown}' ($(command -v java)); Java 17 or newer is needed"
  fi
}

require_mvn() {
  command -v mvn >/dev/null 2>&1 || [ -x "$REPO/mvnw" ] ||
    die "neither mvn on PATH nor the wrapper $REPO/mvnw, and the project needs to be built: install Maven 3.8+"
}

require_curl() {
  command -v curl >/dev/null 2>&1 && return 0
  # A fresh Debian/Ubuntu image may lack curl; as root we can install it ourselves.
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "curl not found: installing it with apt-get ..."
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl) >/dev/null 2>&1 || true
  fi
  command -v curl >/dev/null 2>&1 ||
    die "curl not found on PATH (used for the health checks): install it (Debian/Ubuntu: apt-get install curl)"
}

# --- build -----------------------------------------------------------------------------------------------------------

# run_mvn DIR ARGS...: Maven quietly; its output only when it fails (Debian's Maven 3.8 prints stray ANSI codes even
# with -B -q).
run_mvn() {
  local dir="$1" out
  shift
  local maven=mvn
  command -v mvn >/dev/null 2>&1 || maven="$REPO/mvnw"
  if ! out="$(cd "$dir" && "$maven" "$@" 2>&1)"; then
    printf '%s\n' "$out" >&2
    return 1
  fi
}

# build_needed STAMP JAR... : true when a jar is missing, or a source/pom file of the modules they come from is newer than
# the oldest jar and than STAMP (written after our last successful build: a jar Maven found up to date keeps its old
# mtime, and a changed pom alone would otherwise trigger a build on every start).
build_needed() {
  local stamp="$1" jar oldest="" newer=()
  shift
  for jar in "$@"; do
    [ -f "$jar" ] || return 0
    if [ -z "$oldest" ] || [ "$jar" -ot "$oldest" ]; then oldest="$jar"; fi
  done
  newer=(-newer "$oldest")
  [ ! -f "$stamp" ] || newer+=(-newer "$stamp")
  local dirs=("$REPO/pom.xml" "$STACK_MODULE")
  [ "$STACK_ONLY" = 1 ] || dirs+=("$REPO/shared-events" "$REPO/shared-web" "$REPO/command-service" "$REPO/query-service")
  [ -n "$(find "${dirs[@]}" \( -name target -o -name .git -o -name node_modules \) -prune \
      -o \( -path '*/src/*' -o -name pom.xml \) -type f "${newer[@]}" -print -quit 2>/dev/null)" ]
}

build() {
  local jars=("$STACK_JAR") stamp="$RUN_DIR/build-all.stamp"
  if [ "$STACK_ONLY" = 1 ]; then
    stamp="$RUN_DIR/build-stack.stamp"
  else
    jars+=("$COMMAND_JAR" "$QUERY_JAR" "$VERIFIER_JAR")
  fi
  if [ "${LEDGER_SKIP_BUILD:-0}" = 1 ]; then
    say "LEDGER_SKIP_BUILD=1: not building"
  elif build_needed "$stamp" "${jars[@]}"; then
    require_mvn
    local args=(-B -q -DskipTests install)
    [ "$STACK_ONLY" != 1 ] || args+=(-pl deploy/local-stack -am)
    say "building (mvn ${args[*]:2}) ..."
    run_mvn "$REPO" "${args[@]}" || die "the build failed (see above)"
    touch "$stamp"
  fi
  local jar
  for jar in "${jars[@]}"; do
    [ -f "$jar" ] || die "missing $jar after the build"
  done
  stack_classpath >/dev/null
}

# The runtime classpath of deploy/local-stack, cached next to its jar; rebuilt when a pom changed or an entry vanished
# (another user's ~/.m2, a cleaned repository).
stack_classpath() {
  local stale=0 entry
  if [ ! -s "$STACK_CLASSPATH_FILE" ] || [ "$STACK_MODULE/pom.xml" -nt "$STACK_CLASSPATH_FILE" ] ||
     [ "$REPO/pom.xml" -nt "$STACK_CLASSPATH_FILE" ]; then
    stale=1
  else
    local entries
    IFS=: read -r -a entries < "$STACK_CLASSPATH_FILE" || true # no trailing newline: read "fails" at EOF
    for entry in "${entries[@]}"; do
      [ -r "$entry" ] || { stale=1; break; }
    done
  fi
  if [ "$stale" = 1 ]; then
    require_mvn
    run_mvn "$STACK_MODULE" -B -q dependency:build-classpath -Dmdep.includeScope=runtime \
        -Dmdep.outputFile="$STACK_CLASSPATH_FILE" || die "could not resolve the classpath of deploy/local-stack"
  fi
  printf '%s:%s' "$STACK_JAR" "$(cat "$STACK_CLASSPATH_FILE")"
}

# --- processes -------------------------------------------------------------------------------------------------------

pid_file() { printf '%s/%s.pid' "$RUN_DIR" "$1"; }

# A marker that must be in the process's command line, so that a recycled pid is not taken for ours.
marker() {
  case "$1" in
    stack) printf '%s' "$STACK_MAIN" ;;
    command-service|command-service-2) printf '%s' "command-service-$VERSION-exec.jar" ;;
    query-service|query-service-2) printf '%s' "query-service-$VERSION-exec.jar" ;;
  esac
}

# Prints the pid and succeeds when the component runs.
running_pid() {
  local file pid
  file="$(pid_file "$1")"
  [ -f "$file" ] || return 1
  pid="$(cat "$file" 2>/dev/null || true)"
  is_number "$pid" || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  if [ -r "/proc/$pid/cmdline" ]; then
    tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qF -- "$(marker "$1")" || return 1
  fi
  printf '%s' "$pid"
}

# What listens on a TCP port (empty when nothing does).
port_user() {
  local port="$1" out=""
  if command -v ss >/dev/null 2>&1; then
    out="$(ss -Htlnp "sport = :$port" 2>/dev/null || true)"
    if [ -n "$out" ]; then
      printf '%s' "$out" | sed -n 's/.*users:(\(.*\))$/\1/p' | head -n1 | grep . || printf 'unknown process'
      return 0
    fi
  fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    printf 'unknown process'
  fi
}

# require_free_port PORT WHAT VARIABLE
require_free_port() {
  local port="$1" what="$2" variable="$3" user
  user="$(port_user "$port")"
  [ -z "$user" ] || die "port $port, wanted for $what, is already in use by $user. Stop that process, or choose another port: $variable=... deploy/local.sh start"
}

check_stack_ports() {
  require_free_port "$PG_PORT" "PostgreSQL" LEDGER_PG_PORT
  require_free_port "$KAFKA_PORT" "Kafka" LEDGER_KAFKA_PORT
  require_free_port "$((KAFKA_PORT + 1))" "the Kafka controller (Kafka's port + 1)" LEDGER_KAFKA_PORT
}

tail_log() {
  local log="$1"
  if [ -f "$log" ]; then
    warn "last lines of $log:"
    tail -n "${2:-40}" "$log" | sed 's/^/    /' >&2
  fi
}

rotate_log() {
  if [ -f "$1" ]; then mv -f "$1" "$1.1"; fi
}

# stop_process NAME SECONDS: SIGTERM, wait, SIGKILL.
stop_process() {
  local name="$1" grace="$2" pid waited=0
  if ! pid="$(running_pid "$name")"; then
    rm -f "$(pid_file "$name")"
    return 0
  fi
  say "stopping $name (pid $pid) ..."
  kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt $((grace * 10)) ]; do
    sleep 0.1
    waited=$((waited + 1))
  done
  if kill -0 "$pid" 2>/dev/null; then
    warn "$name (pid $pid) did not stop within ${grace}s: killing it"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.5
  fi
  rm -f "$(pid_file "$name")"
}

# Prints the pid of a postmaster running on our data directory (it outlives a killed stack process: pg_ctl detaches it).
postmaster_pid() {
  local pidfile="$DATA_DIR/postgres/pgdata/postmaster.pid" pid
  [ -f "$pidfile" ] || return 1
  pid="$(head -n1 "$pidfile" 2>/dev/null || true)"
  is_number "$pid" || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  if [ -r "/proc/$pid/comm" ] && [ "$(cat "/proc/$pid/comm")" != postgres ]; then return 1; fi
  printf '%s' "$pid"
}

# Stops such a postmaster when no stack process owns it (fast shutdown: SIGINT).
stop_orphaned_postgres() {
  local pid waited=0
  ! running_pid stack >/dev/null || return 0
  pid="$(postmaster_pid)" || return 0
  say "stopping PostgreSQL left running without its stack process (pid $pid) ..."
  kill -INT "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 300 ]; do
    sleep 0.1
    waited=$((waited + 1))
  done
  if kill -0 "$pid" 2>/dev/null; then
    warn "PostgreSQL (pid $pid) did not stop: killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
}

# Reads the ports the running stack actually uses from its ready file.
read_ready_file() {
  local line pg kafka
  [ -s "$READY_FILE" ] || return 1
  line="$(head -n1 "$READY_FILE")"
  pg="$(printf '%s' "$line" | sed -n 's/.*postgres=\([0-9]*\).*/\1/p')"
  kafka="$(printf '%s' "$line" | sed -n 's/.*kafka=\([^ ]*\).*/\1/p')"
  [ -n "$pg" ] && [ -n "$kafka" ] || return 1
  STACK_PG_PORT="$pg"
  STACK_KAFKA="$kafka"
}

health() { # prints UP, DOWN, or unreachable
  local body
  if ! command -v curl >/dev/null 2>&1; then printf 'unknown (no curl)'; return; fi
  if body="$(curl -fsS --max-time 3 "http://localhost:$1/actuator/health" 2>/dev/null)"; then
    if printf '%s' "$body" | grep -q '"status" *: *"UP"'; then printf 'UP'; else printf 'DOWN'; fi
  else
    # -f fails on 503, which Boot answers when DOWN
    if curl -sS --max-time 3 -o /dev/null "http://localhost:$1/actuator/health" 2>/dev/null; then printf 'DOWN'; else printf 'unreachable'; fi
  fi
}

# --- start -----------------------------------------------------------------------------------------------------------

start_stack() {
  local pid classpath waited=0
  if pid="$(running_pid stack)"; then
    read_ready_file || die "the infrastructure (pid $pid) runs but is not ready (see $LOG_DIR/stack.log); try deploy/local.sh stop"
    say "PostgreSQL and Kafka already running (pid $pid)"
    return 0
  fi
  rm -f "$READY_FILE"
  stop_orphaned_postgres
  check_stack_ports
  classpath="$(stack_classpath)"
  rotate_log "$LOG_DIR/stack.log"
  say "starting PostgreSQL (port $PG_PORT) and Kafka (port $KAFKA_PORT), data in $DATA_DIR ..."
  # shellcheck disable=SC2086 # STACK_JAVA_OPTS is a list of options
  nohup java $STACK_JAVA_OPTS -Djava.io.tmpdir="$TMP_DIR" -cp "$classpath" "$STACK_MAIN" \
      --data-dir "$DATA_DIR" --postgres-port "$PG_PORT" --kafka-port "$KAFKA_PORT" \
      --databases "$DATABASES" --ready-file "$READY_FILE" \
      > "$LOG_DIR/stack.log" 2>&1 < /dev/null 9>&- &
  pid=$!
  printf '%s\n' "$pid" > "$(pid_file stack)"
  while [ ! -s "$READY_FILE" ]; do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$(pid_file stack)"
      tail_log "$LOG_DIR/stack.log"
      die "PostgreSQL/Kafka failed to start (log: $LOG_DIR/stack.log)"
    fi
    if [ "$waited" -ge $((STACK_READY_TIMEOUT * 10)) ]; then
      tail_log "$LOG_DIR/stack.log"
      die "PostgreSQL/Kafka not ready after ${STACK_READY_TIMEOUT}s (pid $pid still running; deploy/local.sh stop to stop it)"
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  read_ready_file || die "unreadable ready file $READY_FILE"
  say "PostgreSQL and Kafka ready in $((waited / 10))s (pid $pid)"
}

# start_service NAME JAR PORT ENV...
start_service() {
  local name="$1" jar="$2" port="$3" pid
  shift 3
  if pid="$(running_pid "$name")"; then
    say "$name already running (pid $pid)"
    return 0
  fi
  require_free_port "$port" "the $name" "$(port_variable "$name")"
  rotate_log "$LOG_DIR/$name.log"
  say "starting $name (port $port) ..."
  # shellcheck disable=SC2086 # SERVICE_JAVA_OPTS is a list of options
  (cd "$REPO" && exec env SERVER_PORT="$port" SERVER_ADDRESS="$BIND_ADDRESS" KAFKA_BOOTSTRAP_SERVERS="$STACK_KAFKA" "$@" \
      nohup java $SERVICE_JAVA_OPTS -Djava.io.tmpdir="$TMP_DIR" -jar "$jar" \
      > "$LOG_DIR/$name.log" 2>&1 < /dev/null) 9>&- &
  pid=$!
  printf '%s\n' "$pid" > "$(pid_file "$name")"
  printf '%s\n' "$port" > "$RUN_DIR/$name.port"
}

# start_command NAME PORT ENV...: a command service instance on the stack's database and broker.
start_command() {
  local name="$1" port="$2"
  shift 2
  start_service "$name" "$COMMAND_JAR" "$port" \
      COMMAND_DB_URL="jdbc:postgresql://localhost:$STACK_PG_PORT/ledger_command" \
      COMMAND_DB_USER="$DB_USER" COMMAND_DB_PASSWORD="$DB_PASSWORD" \
      LEDGER_SIGNING_KEY_FILE="$SIGNING_KEY_FILE" KAFKA_PASSWORD="$(kafka_password COMMAND)" "$@"
}

# start_query NAME PORT COMMAND_PORT: a query service instance, sending auditors' checks to that command service.
start_query() {
  start_service "$1" "$QUERY_JAR" "$2" \
      QUERY_DB_URL="jdbc:postgresql://localhost:$STACK_PG_PORT/ledger_query" \
      QUERY_DB_USER="$DB_USER" QUERY_DB_PASSWORD="$DB_PASSWORD" \
      LEDGER_EVENT_STORE_URL="jdbc:postgresql://localhost:$STACK_PG_PORT/ledger_command" \
      LEDGER_EVENT_STORE_USER="$DB_USER" LEDGER_EVENT_STORE_PASSWORD="$DB_PASSWORD" \
      LEDGER_COMMAND_URL="http://127.0.0.1:$3" KAFKA_PASSWORD="$(kafka_password QUERY)"
}

# The environment variable that sets a service's port.
port_variable() {
  case "$1" in
    command-service) echo COMMAND_PORT ;;
    query-service) echo QUERY_PORT ;;
    command-service-2) echo COMMAND_PORT_2 ;;
    query-service-2) echo QUERY_PORT_2 ;;
  esac
}

# The services started (or to start): the second instances when LEDGER_INSTANCES=2 or when they run already.
service_names() {
  local names="command-service query-service"
  if [ "$INSTANCES" = 2 ] || [ -f "$(pid_file command-service-2)" ] || [ -f "$(pid_file query-service-2)" ]; then
    names="$names command-service-2 query-service-2"
  fi
  printf '%s' "$names"
}

# The key that signs tree heads: a file outside the database, made once with the verifier jar (mode 0600) in a
# directory only this user reads. LEDGER_SIGNING_KEY (base64 PKCS#8) or LEDGER_SIGNING_KEY_FILE take precedence.
ensure_signing_key() {
  [ -z "${LEDGER_SIGNING_KEY:-}" ] || return 0
  [ ! -f "$SIGNING_KEY_FILE" ] || return 0
  mkdir -p "$(dirname "$SIGNING_KEY_FILE")"
  chmod 700 "$(dirname "$SIGNING_KEY_FILE")"
  java -jar "$VERIFIER_JAR" keygen "$SIGNING_KEY_FILE" > "$SIGNING_KEY_FILE.public.json" \
    || die "could not make the signing key $SIGNING_KEY_FILE"
  say "made the ledger's signing key $SIGNING_KEY_FILE (mode 0600; its public key beside it)"
}

# A service's Kafka password, from the logins the stack made (data/kafka-logins.env, mode 0600). Handed to the service
# in its environment, never on a command line.
kafka_password() {
  local file="$DATA_DIR/kafka-logins.env" line
  [ -r "$file" ] || die "no Kafka logins in $file (the stack makes them when it starts)"
  line="$(grep "^KAFKA_PASSWORD_$1=" "$file")" || die "no KAFKA_PASSWORD_$1 in $file"
  printf '%s' "${line#*=}"
}

# Waits until the services named report UP; fails fast when one dies.
await_services() {
  local deadline=$((SECONDS + START_TIMEOUT)) name port pid pending
  while :; do
    pending=""
    for name in "$@"; do
      port="$(cat "$RUN_DIR/$name.port")"
      if ! pid="$(running_pid "$name")"; then
        rm -f "$(pid_file "$name")"
        tail_log "$LOG_DIR/$name.log" 60
        die "$name exited during startup (log: $LOG_DIR/$name.log). Other components keep running: deploy/local.sh status / stop"
      fi
      [ "$(health "$port")" = UP ] || pending="$pending $name"
    done
    [ -n "$pending" ] || return 0
    if [ "$SECONDS" -ge "$deadline" ]; then
      for name in $pending; do tail_log "$LOG_DIR/$name.log" 60; done
      die "not healthy after ${START_TIMEOUT}s:$pending (still running; deploy/local.sh status / stop)"
    fi
    sleep 1
  done
}

# The scenario and then the initial keys are issued just after the command service reports UP.
await_keys() {
  local deadline=$((SECONDS + START_TIMEOUT))
  until [ -s "$KEYS_FILE" ] && grep -q '^KEY_ADMIN=' "$KEYS_FILE"; do
    [ "$SECONDS" -lt "$deadline" ] ||
      die "no API keys in $KEYS_FILE after ${START_TIMEOUT}s (log: $LOG_DIR/command-service.log)"
    sleep 1
  done
}

print_urls() {
  say ""
  say "Convergence Ledger is running."
  if [ "$STACK_ONLY" != 1 ]; then
    say "  command API   http://localhost:$(cat "$RUN_DIR/command-service.port")"
    say "  dashboard     http://localhost:$(cat "$RUN_DIR/query-service.port")/   (the convergence view, in French; ?lang=ar, ?lang=en)"
    say "  query API     http://localhost:$(cat "$RUN_DIR/query-service.port")"
    say "  health        http://localhost:$(cat "$RUN_DIR/command-service.port")/actuator/health" \
        " http://localhost:$(cat "$RUN_DIR/query-service.port")/actuator/health"
    if [ -f "$RUN_DIR/command-service-2.port" ]; then
      say "  2nd instances command API http://localhost:$(cat "$RUN_DIR/command-service-2.port")," \
          "query API and dashboard http://localhost:$(cat "$RUN_DIR/query-service-2.port")"
    fi
  fi
  say "  PostgreSQL    jdbc:postgresql://localhost:$STACK_PG_PORT/ledger_command and .../ledger_query (user $DB_USER, password $DB_PASSWORD)"
  say "  Kafka         $STACK_KAFKA  (SASL/SCRAM: each agency's login is KAFKA_PASSWORD_<CODE> in the keys file, user agency-<CODE>)"
  [ "$STACK_ONLY" = 1 ] || say "  API keys      $KEYS_FILE  (readable by you only; source it: . $KEYS_FILE; curl -H \"Authorization: Bearer \$KEY_ANAPEC\" ...)"
  say "  logs          $LOG_DIR"
  say "  stop with     deploy/local.sh stop"
}

cmd_start() {
  check_ports_config
  require_java
  [ "$STACK_ONLY" = 1 ] || require_curl
  mkdir -p "$DATA_DIR" "$LOG_DIR" "$RUN_DIR" "$TMP_DIR"
  lock

  local all_running=1 name
  running_pid stack >/dev/null || all_running=0
  if [ "$STACK_ONLY" != 1 ]; then
    for name in $(service_names); do
      running_pid "$name" >/dev/null || all_running=0
    done
  fi
  if [ "$all_running" = 1 ] && read_ready_file; then
    say "already running"
    print_urls
    return 0
  fi

  # Check every port before starting anything, so as not to leave a half-started system.
  if ! running_pid stack >/dev/null; then
    stop_orphaned_postgres
    check_stack_ports
  fi
  if [ "$STACK_ONLY" != 1 ]; then
    [ "$COMMAND_PORT" != "$QUERY_PORT" ] || die "COMMAND_PORT and QUERY_PORT are both $COMMAND_PORT"
    running_pid command-service >/dev/null || require_free_port "$COMMAND_PORT" "the command service" COMMAND_PORT
    running_pid query-service >/dev/null || require_free_port "$QUERY_PORT" "the query service" QUERY_PORT
    if [ "$INSTANCES" = 2 ]; then
      running_pid command-service-2 >/dev/null || require_free_port "$COMMAND_PORT_2" "the second command service" COMMAND_PORT_2
      running_pid query-service-2 >/dev/null || require_free_port "$QUERY_PORT_2" "the second query service" QUERY_PORT_2
    fi
  fi

  build
  if [ "$STACK_ONLY" = 1 ]; then echo stack-only > "$RUN_DIR/mode"; else echo full > "$RUN_DIR/mode"; fi
  start_stack
  if [ "$STACK_ONLY" != 1 ]; then
    ensure_signing_key
    kafka_password COMMAND > /dev/null && kafka_password QUERY > /dev/null
    start_command command-service "$COMMAND_PORT" LEDGER_SCENARIO_LOAD=true LEDGER_ACCESS_INITIAL_KEYS_FILE="$KEYS_FILE"
    start_query query-service "$QUERY_PORT" "$COMMAND_PORT"
    say "waiting up to ${START_TIMEOUT}s for both services to report UP ..."
    await_services command-service query-service
    await_keys
    if [ "$INSTANCES" = 2 ]; then
      # After the first pair, which loaded the scenario and issued the keys: the second only joins.
      start_command command-service-2 "$COMMAND_PORT_2"
      start_query query-service-2 "$QUERY_PORT_2" "$COMMAND_PORT_2"
      say "waiting up to ${START_TIMEOUT}s for the second instances to report UP ..."
      await_services command-service-2 query-service-2
    fi
  fi
  print_urls
}

# --- stop / status ---------------------------------------------------------------------------------------------------

cmd_stop() {
  mkdir -p "$RUN_DIR"
  lock
  local any=0 name
  for name in query-service-2 command-service-2 query-service command-service stack; do
    if running_pid "$name" >/dev/null; then any=1; fi
  done
  stop_process query-service-2 30
  stop_process command-service-2 30
  stop_process query-service 30
  stop_process command-service 30
  stop_process stack 60
  stop_orphaned_postgres
  rm -f "$READY_FILE" "$RUN_DIR"/*.port "$RUN_DIR/mode"
  if [ "$any" = 1 ]; then say "stopped (data kept in $DATA_DIR)"; else say "not running"; fi
}

# Exit status: 0 all running (and healthy), 1 partly running or unhealthy, 3 nothing running.
cmd_status() {
  local pid port rc=0 up=0
  if pid="$(running_pid stack)"; then
    up=$((up + 1))
    if read_ready_file; then
      say "infrastructure   running (pid $pid): PostgreSQL on port $STACK_PG_PORT, Kafka on $STACK_KAFKA"
    else
      say "infrastructure   starting (pid $pid), not ready yet"
      rc=1
    fi
  else
    say "infrastructure   not running"
    if pid="$(postmaster_pid)"; then
      say "                 but PostgreSQL (pid $pid) is left running on its data: deploy/local.sh stop (or start) stops it"
      rc=1
    fi
  fi
  for name in $(service_names); do
    if pid="$(running_pid "$name")"; then
      up=$((up + 1))
      port="$(cat "$RUN_DIR/$name.port" 2>/dev/null || echo '?')"
      local h
      h="$(health "$port")"
      printf '%-16s running (pid %s, port %s), health %s\n' "$name" "$pid" "$port" "$h"
      [ "$h" = UP ] || rc=1
    else
      printf '%-16s not running\n' "$name"
      [ "$(cat "$RUN_DIR/mode" 2>/dev/null || true)" = stack-only ] || rc=1
    fi
  done
  say "data: $DATA_DIR   logs: $LOG_DIR"
  if [ "$up" = 0 ]; then return 3; fi
  return "$rc"
}

# One local.sh at a time per LEDGER_HOME (when flock exists). The processes started must not inherit fd 9 (9>&-),
# or they would hold the lock for as long as they run.
lock() {
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$RUN_DIR/local.sh.lock"
    flock -n 9 || die "another deploy/local.sh is running on $LEDGER_HOME"
  fi
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  restart) cmd_stop && cmd_start ;;
  *) usage ;;
esac
