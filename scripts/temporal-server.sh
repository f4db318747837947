#!/usr/bin/env bash
# The full Temporal server (v1.31.2) on the local PostgreSQL: the shape of
# docker-compose.yml without Docker, for benchmarks and chaos runs that stop
# and restart Temporal itself (DESIGN.md, "Getting a Temporal server").
#
#   scripts/temporal-server.sh build   # go install server + temporal-sql-tool into the cache (once)
#   scripts/temporal-server.sh setup   # create/upgrade the two databases' schemas
#   scripts/temporal-server.sh start   # build+setup if needed, start in background, namespace + search attributes
#   scripts/temporal-server.sh stop    # SIGTERM, SIGKILL after 20 s
#   scripts/temporal-server.sh status | reset (drops the databases)
#
# Loopback only. Environment (defaults):
#   KAIROS_CACHE_DIR (~/.cache/kairos)     binaries and run folder
#   KAIROS_TEMPORAL_DB (temporal_chaos)    database; visibility in <db>_visibility
#   KAIROS_TEMPORAL_PORT (17233)           frontend gRPC; the other services use the next ports
#   PGHOST/PGPORT/PGUSER (127.0.0.1/5432/postgres, trust auth)
set -euo pipefail

VERSION=1.31.2
CACHE="${KAIROS_CACHE_DIR:-$HOME/.cache/kairos}"
BIN="$CACHE/temporal-server-$VERSION/bin"
SERVER="$BIN/server"
SQL_TOOL="$BIN/temporal-sql-tool"
CLI="${TEMPORAL_CLI:-$CACHE/temporal-cli-1.5.1/bin/temporal}"
DB="${KAIROS_TEMPORAL_DB:-temporal_chaos}"
VIS_DB="${DB}_visibility"
PORT="${KAIROS_TEMPORAL_PORT:-17233}"
PG_HOST="${PGHOST:-127.0.0.1}"
PG_PORT="${PGPORT:-5432}"
PG_USER="${PGUSER:-postgres}"
NAMESPACE="${TEMPORAL_NAMESPACE:-default}"
RUN="$CACHE/temporal-server-run/$DB-$PORT"
PIDFILE="$RUN/server.pid"
LOG="$RUN/server.log"
ADDRESS="127.0.0.1:$PORT"

say() { echo "[temporal-server] $*" >&2; }

build() {
  # `go install` names the SQL tool after its folder (cmd/tools/sql).
  if [[ -x "$BIN/sql" && ! -e "$SQL_TOOL" ]]; then mv "$BIN/sql" "$SQL_TOOL"; fi
  if [[ -x "$SERVER" && -x "$SQL_TOOL" ]]; then return 0; fi
  mkdir -p "$BIN"
  # Another build into the same folder may be running (a first `start` in another shell): wait for it rather than racing it.
  local lock="$BIN/.build.lock"
  exec 9>"$lock"
  if ! flock -w 1500 9; then say "another build holds $lock for 25 minutes; giving up"; exit 1; fi
  if [[ -x "$SERVER" && -x "$SQL_TOOL" ]]; then return 0; fi
  command -v go >/dev/null || PATH="$PATH:/usr/local/go/bin"
  command -v go >/dev/null || { say "Go is needed to build the server once (go.temporal.io/server@v$VERSION)"; exit 1; }
  say "building the Temporal server v$VERSION and temporal-sql-tool into $BIN (first run only; 10-20 minutes on 2 cores)"
  (cd /tmp && CGO_ENABLED=0 GOBIN="$BIN" timeout 1500 go install \
    "go.temporal.io/server/cmd/server@v$VERSION" "go.temporal.io/server/cmd/tools/sql@v$VERSION")
  if [[ -x "$BIN/sql" ]]; then mv "$BIN/sql" "$SQL_TOOL"; fi
  [[ -x "$SERVER" && -x "$SQL_TOOL" ]] || { say "build finished but $SERVER or $SQL_TOOL is missing"; exit 1; }
}

# Its debug log goes to a file; on failure the tail is shown.
sql_tool() {
  mkdir -p "$RUN"
  if ! "$SQL_TOOL" --plugin postgres12 --ep "$PG_HOST" -p "$PG_PORT" -u "$PG_USER" "$@" >>"$RUN/setup.log" 2>&1; then
    say "temporal-sql-tool $* failed:"; tail -15 "$RUN/setup.log" >&2; return 1
  fi
}

db_exists() { psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -tAc "select 1 from pg_database where datname = '$1'" | grep -q 1; }

setup_db() {
  local name="$1" schema="$2"
  if ! db_exists "$name"; then
    sql_tool --db "$name" create-database
    sql_tool --db "$name" setup-schema -v 0.0
  fi
  # Idempotent: applies only the versions the database has not seen.
  sql_tool --db "$name" update-schema --schema-name "$schema"
}

setup() {
  build
  setup_db "$DB" postgresql/v12/temporal
  setup_db "$VIS_DB" postgresql/v12/visibility
  say "schemas ready in $DB and $VIS_DB"
}

write_config() {
  mkdir -p "$RUN"
  cat >"$RUN/dynamicconfig.yaml" <<'EOF'
# New search attributes usable at once (as the dev server does).
system.forceSearchAttributesCacheRefreshOnRead:
  - value: true
EOF
  local p=$PORT
  cat >"$RUN/config.yaml" <<EOF
log:
  stdout: true
  level: warn
persistence:
  defaultStore: default
  visibilityStore: visibility
  numHistoryShards: 4
  datastores:
    default:
      sql:
        pluginName: postgres12
        databaseName: $DB
        connectAddr: "$PG_HOST:$PG_PORT"
        connectProtocol: tcp
        user: $PG_USER
        password: ""
        # Each of the four services opens its own pool: keep the sum well under PostgreSQL's max_connections (100 by default).
        maxConns: 8
        maxIdleConns: 8
        maxConnLifetime: 1h
    visibility:
      sql:
        pluginName: postgres12
        databaseName: $VIS_DB
        connectAddr: "$PG_HOST:$PG_PORT"
        connectProtocol: tcp
        user: $PG_USER
        password: ""
        maxConns: 2
        maxIdleConns: 2
        maxConnLifetime: 1h
global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: 127.0.0.1
services:
  frontend:
    rpc: { grpcPort: $p, membershipPort: $((p + 1000)), bindOnLocalHost: true, httpPort: $((p + 10)) }
  history:
    rpc: { grpcPort: $((p + 1)), membershipPort: $((p + 1001)), bindOnLocalHost: true }
  matching:
    rpc: { grpcPort: $((p + 2)), membershipPort: $((p + 1002)), bindOnLocalHost: true }
  worker:
    rpc: { grpcPort: $((p + 6)), membershipPort: $((p + 1006)), bindOnLocalHost: true }
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: active
  currentClusterName: active
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: frontend
      rpcAddress: "127.0.0.1:$p"
dcRedirectionPolicy:
  policy: noop
dynamicConfigClient:
  filepath: $RUN/dynamicconfig.yaml
  pollInterval: 10s
EOF
}

running_pid() {
  [[ -f "$PIDFILE" ]] || return 1
  local pid
  pid=$(cat "$PIDFILE")
  kill -0 "$pid" 2>/dev/null && echo "$pid"
}

start() {
  if pid=$(running_pid); then say "already running (pid $pid) on $ADDRESS"; echo "$ADDRESS"; return 0; fi
  setup
  write_config
  [[ -x "$CLI" ]] || { say "the Temporal CLI is needed at $CLI (npm start builds it once) or TEMPORAL_CLI"; exit 1; }
  say "starting on $ADDRESS (log $LOG)"
  # setsid: its own process group, so the caller's Ctrl-C does not take it down half-way; `stop` ends it.
  setsid "$SERVER" --config-file "$RUN/config.yaml" --allow-no-auth start >>"$LOG" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  local deadline=$((SECONDS + 90))
  # The namespace call doubles as the readiness probe: it fails until the frontend answers.
  until "$CLI" operator namespace describe --namespace "$NAMESPACE" --address "$ADDRESS" >/dev/null 2>&1 \
    || "$CLI" operator namespace create --namespace "$NAMESPACE" --retention 1d --address "$ADDRESS" >/dev/null 2>&1; do
    if ! running_pid >/dev/null; then say "server exited; last log lines:"; tail -20 "$LOG" >&2; exit 1; fi
    if ((SECONDS > deadline)); then say "no answer within 90 s; stopping"; stop; exit 1; fi
    sleep 1
  done
  # A namespace just created takes a few seconds to reach every service: retry until all are listed.
  local listed
  for ((;;)); do
    listed=$("$CLI" operator search-attribute list --namespace "$NAMESPACE" --address "$ADDRESS" 2>/dev/null || true)
    local missing=0
    for spec in CampaignKey:Keyword UserId:Keyword JourneyState:Keyword CampaignVersion:Int; do
      local name=${spec%%:*} type=${spec##*:}
      if ! grep -qw "$name" <<<"$listed"; then
        missing=1
        "$CLI" operator search-attribute create --namespace "$NAMESPACE" --address "$ADDRESS" --name "$name" --type "$type" >/dev/null 2>&1 || true
      fi
    done
    ((missing == 0)) && break
    if ((SECONDS > deadline)); then say "search attributes not registered within 90 s"; stop; exit 1; fi
    sleep 1
  done
  say "ready: TEMPORAL_ADDRESS=$ADDRESS"
  echo "$ADDRESS"
}

stop() {
  local pid
  if ! pid=$(running_pid); then rm -f "$PIDFILE"; say "not running"; return 0; fi
  kill -TERM "$pid"
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; fi
  rm -f "$PIDFILE"
  say "stopped (pid $pid)"
}

reset() {
  stop
  for name in "$DB" "$VIS_DB"; do
    psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -qc "drop database if exists $name with (force)"
  done
  say "dropped $DB and $VIS_DB"
}

case "${1:-}" in
  build) build; say "binaries in $BIN" ;;
  setup) setup ;;
  start) start ;;
  stop) stop ;;
  status) if pid=$(running_pid); then echo "running pid $pid on $ADDRESS"; else echo "stopped"; exit 3; fi ;;
  reset) reset ;;
  *) echo "usage: $0 build|setup|start|stop|status|reset" >&2; exit 2 ;;
esac
