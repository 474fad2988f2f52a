#!/usr/bin/env bash
# The docker compose topology as local processes, for development and the cluster tests:
# Redis, MongoDB (a FerretDB unless MONGODB_URL is given), several Confab servers sharing one
# SESSION_SECRET, and nginx in front of them running deploy/nginx/confab.conf and
# http-redirect.conf, the files the compose image uses: HTTPS (and wss://) with a self-signed
# certificate made by scripts/make-self-signed-cert.sh, HSTS, and plain HTTP redirected to it.
# The servers run from source (node --import tsx), so a change shows without a build.
#
#   scripts/cluster.sh start [DIR]    start everything; prints the URL (the only stdout line)
#   scripts/cluster.sh status [DIR]   what runs where; exits 1 unless everything is up
#   scripts/cluster.sh stop [DIR]     stop everything `start` started, and delete DIR
#
# DIR holds pids, logs, data and the certificate (default: ${TMPDIR:-/tmp}/confab-cluster).
# DIR/cluster.json describes the running cluster for programs (the cluster tests read it; its
# `tls.ca` is the certificate to trust); DIR/logs/ has every log. A failed start stops whatever
# it had started and deletes DIR. Clients must trust DIR/certs/fullchain.pem (curl --cacert,
# NODE_EXTRA_CA_CERTS) or use CLUSTER_CERTS; a browser shows a warning for it.
#
# Environment:
#   MONGODB_URL            use this MongoDB instead of starting FerretDB (scripts/ferretdb.sh)
#   CLUSTER_TLS            on (default): HTTPS as in compose; off: nginx serves plain HTTP only
#   CONFAB_HTTPS_PORT      nginx's HTTPS port (default: a free one)
#   CONFAB_HTTP_PORT       nginx's plain-HTTP port, which redirects to HTTPS (default: a free one);
#                          with CLUSTER_TLS=off, the only port
#   CLUSTER_CERTS          a folder with fullchain.pem and privkey.pem to serve (one your
#                          browser trusts, say) instead of a new self-signed pair in DIR/certs
#   CLUSTER_SERVERS        how many server processes (default: 2)
#   WEB_DIST               the built web app (default: apps/web/dist, built when missing)
#   SESSION_SECRET         shared by every server (default: a random one)
#   CLUSTER_START_TIMEOUT  seconds each part may take to become ready (default: 60)
#   LOG_LEVEL, and every other server setting in .env.example, reach the servers unchanged.
#   NGINX, REDIS_SERVER    binaries to use (default: found on PATH)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib/nginx-local.sh
source "$REPO/scripts/lib/nginx-local.sh"

MARKER=".confab-cluster"
TIMEOUT="${CLUSTER_START_TIMEOUT:-60}"

T0="${EPOCHREALTIME/[.,]/}"
# Messages carry the time since start, so a slow part shows.
log() {
  local us=$((${EPOCHREALTIME/[.,]/} - T0))
  printf 'cluster.sh: [%d.%01ds] %s\n' $((us / 1000000)) $((us / 100000 % 10)) "$*" >&2
}
die() { log "error: $*"; exit 1; }

usage() { die "usage: $0 {start|status|stop} [DIR]"; }

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

http_status() { # url -> status code, 000 when nothing answers; https trusts $CA_FILE
  if command -v curl >/dev/null 2>&1; then
    curl -s -o /dev/null -w '%{http_code}' --max-time 2 ${CA_FILE:+--cacert "$CA_FILE"} "$1" || true
  else
    NODE_EXTRA_CA_CERTS="${CA_FILE:-}" node -e 'fetch(process.argv[1],{signal:AbortSignal.timeout(2000),redirect:"manual"}).then(r=>console.log(r.status),()=>console.log("000"))' "$1"
  fi
}

# For wait_until: its arguments are expanded once, so the request must happen inside a command.
answers_200() { [[ "$(http_status "$1")" == 200 ]]; }
answers_301() { [[ "$(http_status "$1")" == 301 ]]; }

is_running() { # pid
  local state
  [[ "$1" =~ ^[0-9]+$ ]] && kill -0 "$1" 2>/dev/null || return 1
  state="$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null || true)"
  [[ "$state" != "Z" ]]
}

# Whether pid is still the process we started (pids get recycled): its command line names it.
is_ours() { # pid name
  is_running "$1" && tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -q -- "$2"
}

tail_log() { # file
  if [[ -f "$1" ]]; then
    log "last lines of $1:"
    tail -n 20 "$1" | sed 's/^/    /' >&2
  fi
}

# Runs a command detached (own session, no stdin, output to a log) and records its pid.
launch() { # name log command...
  local name="$1" logf="$2"
  shift 2
  if command -v setsid >/dev/null 2>&1; then
    setsid "$@" </dev/null >>"$logf" 2>&1 &
  else
    "$@" </dev/null >>"$logf" 2>&1 &
  fi
  printf '%s\n' "$!" >"$DIR/pids/$name.pid"
  LAUNCHED_PID=$!
}

pid_of() { cat "$DIR/pids/$1.pid" 2>/dev/null || true; }

# ------------------------------------------------------------------------------------------
# stop

stop_process() { # name expected-cmdline-word grace-seconds
  local name="$1" word="$2" grace="$3" pid i
  pid="$(pid_of "$name")"
  [[ -n "$pid" ]] || return 0
  if is_ours "$pid" "$word"; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < grace * 10; i++)); do
      is_running "$pid" || break
      sleep 0.1
    done
    if is_running "$pid"; then
      log "$name (pid $pid) did not stop after SIGTERM; sending SIGKILL"
      # launch() made it a process group of its own: take its children (nginx workers) too.
      if [[ "$(ps -o pgid= -p "$pid" 2>/dev/null | tr -d ' ')" == "$pid" ]]; then
        kill -KILL -- "-$pid" 2>/dev/null || true
      else
        kill -KILL "$pid" 2>/dev/null || true
      fi
    fi
  fi
  rm -f "$DIR/pids/$name.pid"
}

stop_all() {
  local f name pids=() pid
  [[ -d "$DIR/pids" ]] || return 0
  # nginx first (no new traffic), then the servers (in parallel: each may take up to 10 s to
  # close its sockets), then what they depend on.
  stop_process nginx nginx 5
  for f in "$DIR"/pids/server-*.pid; do
    [[ -e "$f" ]] || continue
    name="$(basename "$f" .pid)"
    pid="$(pid_of "$name")"
    if is_ours "$pid" node; then kill -TERM "$pid" 2>/dev/null || true; pids+=("$name"); fi
  done
  for name in ${pids[@]+"${pids[@]}"}; do stop_process "$name" node 12; done
  rm -f "$DIR"/pids/server-*.pid
  stop_process redis redis-server 5
  if [[ -d "$DIR/ferretdb" ]]; then
    "$REPO/scripts/ferretdb.sh" stop "$DIR/ferretdb" >/dev/null 2>&1 || log "could not stop FerretDB (see $DIR/ferretdb)"
  fi
}

remove_dir() {
  # Only ever delete a folder this script made: it holds the marker.
  if [[ -f "$DIR/$MARKER" ]]; then rm -rf "$DIR"; fi
}

cmd_stop() {
  if [[ ! -f "$DIR/$MARKER" ]]; then
    log "no cluster in $DIR; nothing to stop"
    return 0
  fi
  stop_all
  remove_dir
  log "stopped; removed $DIR"
}

# ------------------------------------------------------------------------------------------
# start

START_OK=0
on_exit() {
  local rc=$?
  if [[ "$START_OK" != 1 && -f "$DIR/$MARKER" ]]; then
    log "start failed; stopping what it started and removing $DIR"
    stop_all || true
    remove_dir
  fi
  exit "$rc"
}

wait_until() { # description timeout pid-or-empty check-command...
  local what="$1" timeout="$2" pid="$3" deadline
  shift 3
  deadline=$((SECONDS + timeout))
  until "$@"; do
    if [[ -n "$pid" ]] && ! is_running "$pid"; then return 2; fi
    if ((SECONDS >= deadline)); then
      log "$what: not ready within ${timeout}s"
      return 1
    fi
    sleep 0.2
  done
}

start_redis() {
  local attempt port logf="$DIR/logs/redis.log" rc
  mkdir -p "$DIR/redis"
  for attempt in 1 2 3; do
    port="$(free_port)"
    : >"$logf"
    # No persistence: the cluster's Redis holds only leases, counters and adapter channels.
    launch redis "$logf" "${REDIS_SERVER:-redis-server}" --port "$port" --bind 127.0.0.1 \
      --save '' --appendonly no --dir "$DIR/redis"
    rc=0
    wait_until "redis" "$TIMEOUT" "$LAUNCHED_PID" grep -qi 'ready to accept connections' "$logf" || rc=$?
    if ((rc == 0)); then
      REDIS_URL="redis://127.0.0.1:$port"
      REDIS_PORT="$port"
      return 0
    fi
    if ((rc == 2)) && grep -qi 'address already in use' "$logf" && ((attempt < 3)); then
      log "redis: port $port was taken, retrying"
      continue
    fi
    tail_log "$logf"
    die "redis-server did not start"
  done
}

start_mongo() {
  if [[ -n "${MONGODB_URL:-}" ]]; then
    MONGO_MANAGED=false
    return 0
  fi
  local url
  url="$("$REPO/scripts/ferretdb.sh" start "$DIR/ferretdb")" || die "FerretDB did not start (scripts/ferretdb.sh; set MONGODB_URL to use a MongoDB of your own)"
  MONGODB_URL="${url}confab"
  MONGO_MANAGED=true
}

ensure_web_build() {
  if [[ -n "${WEB_DIST:-}" ]]; then
    [[ -f "$WEB_DIST/index.html" ]] || die "WEB_DIST=$WEB_DIST holds no index.html"
    WEB_DIST="$(cd "$WEB_DIST" && pwd)"
    return 0
  fi
  WEB_DIST="$REPO/apps/web/dist"
  if [[ ! -f "$WEB_DIST/index.html" ]]; then
    log "building the web app (apps/web/dist is missing)..."
    command -v pnpm >/dev/null 2>&1 || die "pnpm is needed to build the web app (npm install -g pnpm@10)"
    # A production build whatever called this: under a test runner (NODE_ENV=test) Vite would bundle
    # Vue's development build, which the web app's size budget refuses.
    (cd "$REPO" && NODE_ENV=production pnpm --filter @confab/web exec vite build) >>"$DIR/logs/web-build.log" 2>&1 ||
      { tail_log "$DIR/logs/web-build.log"; die "the web app did not build"; }
  fi
}

launch_server() { # index port
  local name="server-$1"
  : >"$DIR/logs/$name.log"
  (
    cd "$REPO/apps/server"
    export NODE_ENV="${NODE_ENV:-production}" HOST=127.0.0.1 PORT="$2" LOG_PRETTY=false \
      SESSION_SECRET MONGODB_URL REDIS_URL WEB_DIST TRUST_PROXY=true
    launch "$name" "$DIR/logs/$name.log" node --import tsx src/index.ts
  )
}

# Readiness is GET /readyz answering 200 (the store and Redis answer), not a log line: the
# servers log at whatever LOG_LEVEL the caller chose.
start_servers() {
  local i attempt name rc
  SERVER_NAMES=()
  SERVER_PORTS=()
  for ((i = 1; i <= SERVERS; i++)); do
    SERVER_NAMES+=("server-$i")
    SERVER_PORTS+=("$(free_port)")
    launch_server "$i" "${SERVER_PORTS[i - 1]}"
  done
  for ((i = 1; i <= SERVERS; i++)); do
    name="server-$i"
    for attempt in 1 2 3; do
      rc=0
      wait_until "$name" "$TIMEOUT" "$(pid_of "$name")" \
        answers_200 "http://127.0.0.1:${SERVER_PORTS[i - 1]}/readyz" || rc=$?
      ((rc == 0)) && break
      # Another process took the free port between our probe and the server's listen.
      if ((rc == 2)) && grep -q 'EADDRINUSE' "$DIR/logs/$name.log" && ((attempt < 3)); then
        log "$name: port ${SERVER_PORTS[i - 1]} was taken, retrying"
        SERVER_PORTS[i - 1]="$(free_port)"
        launch_server "$i" "${SERVER_PORTS[i - 1]}"
        continue
      fi
      tail_log "$DIR/logs/$name.log"
      die "$name did not become ready (GET /readyz)"
    done
  done
}

# The certificate nginx serves: CLUSTER_CERTS, or a self-signed one made for this cluster.
prepare_certs() {
  if [[ "$TLS" != on ]]; then
    CA_FILE=""
    return 0
  fi
  if [[ -n "${CLUSTER_CERTS:-}" ]]; then
    [[ -f "$CLUSTER_CERTS/fullchain.pem" && -f "$CLUSTER_CERTS/privkey.pem" ]] ||
      die "CLUSTER_CERTS=$CLUSTER_CERTS holds no fullchain.pem and privkey.pem"
    CERT_DIR="$(cd "$CLUSTER_CERTS" && pwd)"
  else
    CERT_DIR="$DIR/certs"
    bash "$REPO/scripts/make-self-signed-cert.sh" "$CERT_DIR" 2>>"$DIR/logs/certs.log" ||
      { tail_log "$DIR/logs/certs.log"; die "could not make a self-signed certificate (scripts/make-self-signed-cert.sh)"; }
  fi
  # The certificate is its own trust anchor for a self-signed pair; for a CA-issued one it is
  # the chain, which clients that already trust the CA do not need.
  CA_FILE="$CERT_DIR/fullchain.pem"
}

start_nginx() {
  local nginx attempt port http_port upstream="" p logf="$DIR/logs/nginx-error.log" rc
  nginx="$(find_nginx)" || die "nginx not found (set NGINX=/path/to/nginx)"
  # The same stickiness and failure handling as deploy/nginx/upstream.compose.conf (see the
  # reasons there); only the addresses differ.
  upstream='hash $remote_addr consistent;'
  for p in "${SERVER_PORTS[@]}"; do upstream+=$'\n'"server 127.0.0.1:$p max_fails=0;"; done
  for attempt in 1 2 3; do
    http_port="${CONFAB_HTTP_PORT:-$(free_port)}"
    rm -f "$DIR/nginx/nginx.pid"
    if [[ "$TLS" == on ]]; then
      port="${CONFAB_HTTPS_PORT:-$(free_port)}"
      write_local_nginx "$DIR/nginx" "$DIR/logs" "127.0.0.1:$port" "$WEB_DIST" "$upstream" "$CERT_DIR" "127.0.0.1:$http_port"
    else
      port="$http_port"
      write_local_nginx "$DIR/nginx" "$DIR/logs" "127.0.0.1:$port" "$WEB_DIST" "$upstream"
    fi
    # -e: the error log from the first moment, before nginx has read its configuration.
    "$nginx" -t -q -e "$logf" -c "$DIR/nginx/nginx.conf" -p "$DIR/nginx/" 2>>"$logf" ||
      { tail_log "$logf"; die "nginx rejected $DIR/nginx/nginx.conf"; }
    : >"$logf"
    launch nginx "$logf" "$nginx" -e "$logf" -c "$DIR/nginx/nginx.conf" -p "$DIR/nginx/"
    rc=0
    # nginx writes its pid file once its listening sockets are bound.
    wait_until "nginx" "$TIMEOUT" "$LAUNCHED_PID" test -s "$DIR/nginx/nginx.pid" || rc=$?
    if ((rc == 0)); then
      NGINX_PORT="$port"
      NGINX_HTTP_PORT="$http_port"
      break
    fi
    if ((rc == 2)) && grep -qi 'address already in use' "$logf" && [[ -z "${CONFAB_HTTPS_PORT:-}${CONFAB_HTTP_PORT:-}" ]] && ((attempt < 3)); then
      log "nginx: port $port or $http_port was taken, retrying"
      continue
    fi
    tail_log "$logf"
    die "nginx did not start${CONFAB_HTTPS_PORT:+ on CONFAB_HTTPS_PORT=$CONFAB_HTTPS_PORT}${CONFAB_HTTP_PORT:+ on CONFAB_HTTP_PORT=$CONFAB_HTTP_PORT}"
  done
  [[ -n "${NGINX_PORT:-}" ]] || die "nginx found no free port"
  if [[ "$TLS" == on ]]; then
    URL="https://127.0.0.1:$NGINX_PORT"
    answers_301 "http://127.0.0.1:$NGINX_HTTP_PORT/" || die "nginx does not redirect plain HTTP (port $NGINX_HTTP_PORT) to HTTPS"
  else
    URL="http://127.0.0.1:$NGINX_PORT"
  fi
  wait_until "nginx → /readyz" "$TIMEOUT" "$(pid_of nginx)" answers_200 "$URL/readyz" ||
    { tail_log "$logf"; die "nginx does not reach the servers (GET /readyz through it)"; }
}

write_state() {
  local i servers="" mongo_pid=null
  for ((i = 0; i < SERVERS; i++)); do
    ((i > 0)) && servers+=","
    servers+=$(printf '\n    { "name": "%s", "pid": %s, "port": %s, "url": "http://127.0.0.1:%s", "log": "%s" }' \
      "${SERVER_NAMES[i]}" "$(pid_of "${SERVER_NAMES[i]}")" "${SERVER_PORTS[i]}" "${SERVER_PORTS[i]}" "$DIR/logs/${SERVER_NAMES[i]}.log")
  done
  if [[ "$MONGO_MANAGED" == true ]]; then mongo_pid="$(cat "$DIR/ferretdb/ferretdb.pid")"; fi
  local tls=null
  if [[ "$TLS" == on ]]; then
    tls=$(printf '{ "ca": "%s", "cert": "%s", "key": "%s", "redirectUrl": "http://127.0.0.1:%s" }' \
      "$CA_FILE" "$CERT_DIR/fullchain.pem" "$CERT_DIR/privkey.pem" "$NGINX_HTTP_PORT")
  fi
  cat >"$DIR/cluster.json" <<JSON
{
  "url": "$URL",
  "tls": $tls,
  "dir": "$DIR",
  "nginx": { "pid": $(pid_of nginx), "port": $NGINX_PORT, "log": "$DIR/logs/nginx-error.log" },
  "servers": [$servers
  ],
  "redis": { "pid": $(pid_of redis), "port": $REDIS_PORT, "url": "$REDIS_URL" },
  "mongodb": { "pid": $mongo_pid, "managed": $MONGO_MANAGED, "url": "$(redact "$MONGODB_URL")" }
}
JSON
  # For `status` and for restarting a server by hand with the same settings.
  (
    umask 077
    {
      printf 'URL=%q\nTLS=%q\nCA_FILE=%q\nNGINX_PORT=%q\nNGINX_HTTP_PORT=%q\nREDIS_URL=%q\nMONGODB_URL=%q\nMONGO_MANAGED=%q\n' \
        "$URL" "$TLS" "$CA_FILE" "$NGINX_PORT" "$NGINX_HTTP_PORT" "$REDIS_URL" "$MONGODB_URL" "$MONGO_MANAGED"
      printf 'SESSION_SECRET=%q\nWEB_DIST=%q\n' "$SESSION_SECRET" "$WEB_DIST"
      printf 'SERVER_NAMES=(%s)\nSERVER_PORTS=(%s)\n' "${SERVER_NAMES[*]}" "${SERVER_PORTS[*]}"
    } >"$DIR/cluster.env"
  )
}

redact() { sed -E 's#(://)[^/@]*@#\1***@#' <<<"$1"; }

cmd_start() {
  local pidf alive=0
  if [[ -d "$DIR" && -n "$(ls -A "$DIR" 2>/dev/null)" ]]; then
    [[ -f "$DIR/$MARKER" ]] || die "$DIR exists and was not made by this script; pick another DIR"
    for pidf in "$DIR"/pids/*.pid "$DIR"/ferretdb/ferretdb.pid; do
      [[ -f "$pidf" ]] && is_running "$(cat "$pidf")" && alive=1
    done
    ((alive == 0)) || die "a cluster is already running in $DIR (scripts/cluster.sh stop $DIR)"
    log "removing the remains of an earlier cluster in $DIR"
    stop_all
    remove_dir
  fi
  SERVERS="${CLUSTER_SERVERS:-2}"
  [[ "$SERVERS" =~ ^[1-9][0-9]*$ ]] || die "CLUSTER_SERVERS must be a positive number"
  command -v node >/dev/null 2>&1 || die "node is needed"
  command -v "${REDIS_SERVER:-redis-server}" >/dev/null 2>&1 || die "redis-server not found (apt-get install redis-server, or set REDIS_SERVER)"
  find_nginx >/dev/null || die "nginx not found (apt-get install nginx-light, or set NGINX)"
  TLS="${CLUSTER_TLS:-on}"
  [[ "$TLS" == on || "$TLS" == off ]] || die "CLUSTER_TLS must be on or off"
  if [[ "$TLS" == on ]]; then
    command -v openssl >/dev/null 2>&1 || [[ -n "${CLUSTER_CERTS:-}" ]] || die "openssl is needed for the self-signed certificate (or set CLUSTER_CERTS, or CLUSTER_TLS=off)"
  fi
  for var in CONFAB_HTTPS_PORT CONFAB_HTTP_PORT; do
    if [[ -n "${!var:-}" ]] && port_open "${!var}"; then
      die "$var=${!var} is in use by another program"
    fi
  done

  mkdir -p "$DIR/pids" "$DIR/logs"
  DIR="$(cd "$DIR" && pwd)"
  : >"$DIR/$MARKER"
  trap on_exit EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  log "starting in $DIR"
  SESSION_SECRET="${SESSION_SECRET:-$(node -e 'console.log(require("crypto").randomBytes(32).toString("base64url"))')}"
  ensure_web_build
  prepare_certs
  start_redis
  log "redis on $REDIS_URL"
  start_mongo
  log "MongoDB at $(redact "$MONGODB_URL")"
  start_servers
  log "servers on ports ${SERVER_PORTS[*]}"
  start_nginx
  write_state
  START_OK=1
  if [[ "$TLS" == on ]]; then
    log "nginx on $URL, plain HTTP on port $NGINX_HTTP_PORT redirects to it; trust $CA_FILE (curl --cacert, NODE_EXTRA_CA_CERTS), or accept the browser's warning"
  fi
  log "nginx on $URL (logs in $DIR/logs; stop with: $0 stop $DIR)"
  printf '%s\n' "$URL"
}

# ------------------------------------------------------------------------------------------
# status

cmd_status() {
  local ok=0 i pid state mongo
  [[ -f "$DIR/cluster.env" ]] || { log "no cluster in $DIR"; exit 1; }
  # shellcheck disable=SC1091
  source "$DIR/cluster.env"
  row() { # name pid word address
    if is_ours "$2" "$3"; then state=running; else state=stopped; ok=1; fi
    printf '%-10s %-8s pid %-8s %s\n' "$1" "$state" "${2:--}" "$4"
  }
  printf '%-10s %s\n' url "$URL"
  if [[ "$TLS" == on ]]; then
    row nginx "$(pid_of nginx)" nginx "$URL (http://127.0.0.1:$NGINX_HTTP_PORT redirects to it)"
  else
    row nginx "$(pid_of nginx)" nginx "$URL"
  fi
  for ((i = 0; i < ${#SERVER_NAMES[@]}; i++)); do
    row "${SERVER_NAMES[i]}" "$(pid_of "${SERVER_NAMES[i]}")" node "http://127.0.0.1:${SERVER_PORTS[i]}"
  done
  row redis "$(pid_of redis)" redis-server "$REDIS_URL"
  mongo="$(redact "$MONGODB_URL")"
  if [[ "$MONGO_MANAGED" == true ]]; then
    row mongodb "$(cat "$DIR/ferretdb/ferretdb.pid" 2>/dev/null || true)" ferretdb "$mongo (FerretDB)"
  else
    printf '%-10s %-8s %-12s %s\n' mongodb external "" "$mongo"
  fi
  printf '%-10s %s\n' logs "$DIR/logs"
  return "$ok"
}

# ------------------------------------------------------------------------------------------

COMMAND="${1:-}"
DIR="${2:-${TMPDIR:-/tmp}/confab-cluster}"
case "$COMMAND" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *) usage ;;
esac
