#!/usr/bin/env bash
# FerretDB (MongoDB wire-compatible server, Apache-2.0) for local tests.
#
#   scripts/ferretdb.sh install      build once per machine (cached), print binary path
#   scripts/ferretdb.sh start DIR    start on a free port with a throw-away SQLite data dir
#                                    under DIR; prints exactly one line: the MongoDB URL
#   scripts/ferretdb.sh stop DIR     stop the instance started with DIR
#
# Needs Go >= 1.24 (GO=/path/to/go, else `go` on PATH, else /usr/local/go/bin/go) and
# network access to the Go module proxy, only for the first install.
#
# Environment:
#   FERRETDB_HOME           cache dir (default: $HOME/.cache/confab/ferretdb)
#   FERRETDB_VERSION        FerretDB module version (default: v1.24.2)
#   FERRETDB_START_TIMEOUT  seconds to wait for the port to accept connections (default: 30)
#   FERRETDB_LOG_LEVEL      DEBUG|INFO|WARN|ERROR (default: INFO)
#   FERRETDB_KEEP_DATA=1    keep DIR/ferretdb-data on stop, and reuse it on start (to restart an
#                           instance with its data, e.g. for outage tests)
#   FERRETDB_PORT           listen on this port instead of a free one (e.g. to restart an instance
#                           where its clients expect it); start fails if the port is taken
#
# Why not `go install github.com/FerretDB/FerretDB/cmd/ferretdb@VERSION`: it fails when the
# proxy refuses the module's @v/list (deprecation lookup), and the resulting binary panics
# at start-up anyway because build/version/version.txt is generated, not in the module zip.
# So we `go mod download` the exact version, copy it, write version.txt and build it as the
# main module (its own go.mod/go.sum pin every dependency), with the steps scripts/mongo-tools.sh
# shares (scripts/lib/go-build.sh).
set -euo pipefail

GO_BUILD_LOG_NAME=ferretdb.sh
# shellcheck source=lib/go-build.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/go-build.sh"

FERRETDB_VERSION="${FERRETDB_VERSION:-v1.24.2}"
FERRETDB_HOME="${FERRETDB_HOME:-${HOME:-/tmp}/.cache/confab/ferretdb}"
BIN="$FERRETDB_HOME/bin/ferretdb"

bin_ok() {
  [[ -x "$BIN" ]] && [[ "$("$BIN" --version 2>/dev/null | head -n1)" == "version: $FERRETDB_VERSION" ]]
}

build() {
  local go work t0
  go="$(find_go)"
  t0=$SECONDS
  go_build_workdir "$FERRETDB_HOME"
  work="$GO_BUILD_WORK"

  log "building FerretDB $FERRETDB_VERSION with $("$go" version) (takes ~2 min the first time)..."
  go_fetch_module "$go" github.com/FerretDB/FerretDB "$FERRETDB_VERSION"

  printf '%s\n' "$FERRETDB_VERSION" >"$work/src/build/version/version.txt"
  [[ -n "$GO_MODULE_HASH" ]] && printf '%s\n' "$GO_MODULE_HASH" >"$work/src/build/version/commit.txt"
  printf '%s\n' "confab-source" >"$work/src/build/version/package.txt"

  # SQLite (modernc.org/sqlite, pure Go) and PostgreSQL backends are built in by default.
  (cd "$work/src" && GOWORK=off GOFLAGS= CGO_ENABLED=0 \
    "$go" build -trimpath -buildvcs=false -mod=readonly -o "$work/ferretdb" ./cmd/ferretdb) \
    || die "go build failed"

  mkdir -p "$(dirname "$BIN")"
  mv -f "$work/ferretdb" "$BIN"
  bin_ok || die "built binary does not report version $FERRETDB_VERSION"
  log "built $BIN in $((SECONDS - t0))s"
}

cmd_install() {
  install_once "$FERRETDB_HOME" bin_ok build
  printf '%s\n' "$BIN"
}

free_port() {
  if command -v node >/dev/null 2>&1; then
    node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
  elif command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1]);s.close()'
  else
    die "need node or python3 to pick a free port"
  fi
}

is_running() { # pid
  local state
  kill -0 "$1" 2>/dev/null || return 1
  # a zombie (exited but not reaped) counts as stopped
  state="$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null || true)"
  [[ "$state" != "Z" ]]
}

port_open() { # port
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

cmd_start() {
  local dir="${1:-}" bin data state logf pidf port pid attempt deadline
  [[ -n "$dir" ]] || die "usage: $0 start DIR"
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  pidf="$dir/ferretdb.pid"
  logf="$dir/ferretdb.log"
  data="$dir/ferretdb-data"
  state="$dir/ferretdb-state"

  if [[ -f "$pidf" ]] && is_running "$(cat "$pidf")"; then
    die "already running (pid $(cat "$pidf")); run: $0 stop $dir"
  fi

  bin="$(cmd_install)"

  for attempt in 1 2 3; do
    if [[ "${FERRETDB_KEEP_DATA:-}" != 1 ]]; then
      rm -rf "$data" "$state"
    fi
    mkdir -p "$data" "$state"
    port="${FERRETDB_PORT:-$(free_port)}"
    : >"$logf"
    # stdin/stdout/stderr detached so `URL=$(ferretdb.sh start DIR)` returns immediately
    DO_NOT_TRACK=1 "$bin" \
      --handler=sqlite \
      --sqlite-url="file:$data/" \
      --listen-addr="127.0.0.1:$port" \
      --debug-addr=- \
      --telemetry=disable \
      --state-dir="$state" \
      --log-level="${FERRETDB_LOG_LEVEL:-INFO}" \
      </dev/null >>"$logf" 2>&1 &
    pid=$!
    printf '%s\n' "$pid" >"$pidf"

    deadline=$((SECONDS + ${FERRETDB_START_TIMEOUT:-30}))
    while ((SECONDS < deadline)); do
      if ! is_running "$pid"; then
        break
      fi
      if port_open "$port"; then
        printf 'mongodb://127.0.0.1:%s/\n' "$port"
        return 0
      fi
      sleep 0.1
    done

    if is_running "$pid"; then
      kill -KILL "$pid" 2>/dev/null || true
      rm -f "$pidf"
      log "error: FerretDB did not accept connections on 127.0.0.1:$port within ${FERRETDB_START_TIMEOUT:-30}s; log tail ($logf):"
      tail -n 30 "$logf" >&2 || true
      exit 1
    fi
    rm -f "$pidf"
    if grep -qi 'address already in use' "$logf" && [[ -z "${FERRETDB_PORT:-}" ]] && ((attempt < 3)); then
      log "port $port was taken, retrying"
      continue
    fi
    log "error: FerretDB exited during start-up; log tail ($logf):"
    tail -n 30 "$logf" >&2 || true
    exit 1
  done
  die "could not find a free port"
}

cmd_stop() {
  local dir="${1:-}" pidf pid i
  [[ -n "$dir" ]] || die "usage: $0 stop DIR"
  pidf="$dir/ferretdb.pid"
  if [[ ! -f "$pidf" ]]; then
    log "no $pidf; nothing to stop"
    return 0
  fi
  pid="$(cat "$pidf")"
  if [[ "$pid" =~ ^[0-9]+$ ]] && is_running "$pid"; then
    # guard against a recycled pid
    if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q ferretdb; then
      kill -TERM "$pid" 2>/dev/null || true
      for i in $(seq 1 100); do
        is_running "$pid" || break
        sleep 0.1
      done
      if is_running "$pid"; then
        log "pid $pid did not exit after SIGTERM; sending SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
        for i in $(seq 1 50); do
          is_running "$pid" || break
          sleep 0.1
        done
      fi
    else
      log "pid $pid is not ferretdb; not killing it"
    fi
  fi
  rm -f "$pidf"
  if [[ "${FERRETDB_KEEP_DATA:-}" != 1 ]]; then
    rm -rf "$dir/ferretdb-data" "$dir/ferretdb-state"
  fi
}

case "${1:-}" in
  install) cmd_install ;;
  start) shift; cmd_start "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  *) die "usage: $0 {install|start DIR|stop DIR}" ;;
esac
