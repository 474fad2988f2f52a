#!/usr/bin/env bash
# mongodump and mongorestore (MongoDB Database Tools, Apache-2.0) for the backup test and for
# operators without MongoDB's packages: built from source through the Go module proxy, once per
# machine (cached), like scripts/ferretdb.sh builds FerretDB.
#
#   scripts/mongo-tools.sh install    build once (cached), print the folder holding both binaries
#
# Needs Go >= 1.23 (GO=/path/to/go, else `go` on PATH, else /usr/local/go/bin/go) and network
# access to the Go module proxy, only for the first install: it downloads the tools' dependencies
# and compiles for about 100 s of CPU (5 1/2 minutes on a busy 2-core machine here; 10 s when Go's
# module and build caches are warm).
#
# Environment:
#   MONGO_TOOLS_HOME   cache dir (default: $HOME/.cache/confab/mongo-tools)
#
# Why not `go install github.com/mongodb/mongo-tools/mongodump/main@…`: the tools are tagged
# `100.x.y`, which is not a Go module version, so the proxy serves them only as pseudo-versions
# of commits on master, and it refuses version queries (@latest, @master, @v/list). So we
# download one exact pseudo-version, check it against the sum pinned below (the checksum
# database has no record of it: GONOSUMDB for this module only; every dependency is still
# checked against the module's own go.sum), and build the two tools as the main module.
set -euo pipefail

# Commit 887641268977 of 2025-07-15 on master: release 100.12.2 and later fixes.
MONGO_TOOLS_MODULE=github.com/mongodb/mongo-tools
MONGO_TOOLS_VERSION=v0.0.0-20250715155915-887641268977
MONGO_TOOLS_SUM=h1:J9wFLko0N7sbovyHahuRw1NyfMUsNhaauLK87wQ3ruc=
MONGO_TOOLS_RELEASE=100.12.2
MONGO_TOOLS_COMMIT=887641268977
MONGO_TOOLS_HOME="${MONGO_TOOLS_HOME:-${HOME:-/tmp}/.cache/confab/mongo-tools}"
BIN_DIR="$MONGO_TOOLS_HOME/bin"
TOOLS=(mongodump mongorestore)

log() { printf 'mongo-tools.sh: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

find_go() {
  if [[ -n "${GO:-}" ]]; then printf '%s\n' "$GO"; return; fi
  if command -v go >/dev/null 2>&1; then command -v go; return; fi
  if [[ -x /usr/local/go/bin/go ]]; then printf '%s\n' /usr/local/go/bin/go; return; fi
  die "Go toolchain not found (set GO=/path/to/go)"
}

bins_ok() {
  local tool out
  for tool in "${TOOLS[@]}"; do
    [[ -x "$BIN_DIR/$tool" ]] || return 1
    out="$("$BIN_DIR/$tool" --version 2>/dev/null)" || return 1
    [[ "$out" == *"version: $MONGO_TOOLS_RELEASE"* && "$out" == *"git version: $MONGO_TOOLS_COMMIT"* ]] || return 1
  done
}

BUILD_WORK=""
cleanup_build() {
  if [[ -n "$BUILD_WORK" ]]; then
    chmod -R u+w "$BUILD_WORK" 2>/dev/null || true
    rm -rf "$BUILD_WORK"
  fi
}

build() {
  local go work json dir sum tool t0
  go="$(find_go)"
  t0=$SECONDS
  work="$(mktemp -d "$MONGO_TOOLS_HOME/build.XXXXXX")"
  BUILD_WORK="$work"
  trap cleanup_build EXIT

  log "building mongodump and mongorestore $MONGO_TOOLS_RELEASE with $("$go" version)..."
  # Outside any module, so a surrounding go.mod or go.work cannot interfere.
  json="$(cd "$work" && GOWORK=off GOFLAGS=-mod=mod GONOSUMDB="$MONGO_TOOLS_MODULE" "$go" mod download -json \
    "$MONGO_TOOLS_MODULE@$MONGO_TOOLS_VERSION")" || die "go mod download failed: $json"
  dir="$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p' <<<"$json" | head -n1)"
  sum="$(sed -n 's/^[[:space:]]*"Sum": "\(.*\)",$/\1/p' <<<"$json" | head -n1)"
  [[ -n "$dir" && -f "$dir/go.mod" ]] || die "cannot find the downloaded module in: $json"
  [[ "$sum" == "$MONGO_TOOLS_SUM" ]] || die "$MONGO_TOOLS_MODULE@$MONGO_TOOLS_VERSION has sum $sum, expected $MONGO_TOOLS_SUM"

  cp -R "$dir" "$work/src"
  chmod -R u+w "$work/src"
  mkdir -p "$work/bin"
  for tool in "${TOOLS[@]}"; do
    # No build tags: the release's `gssapi` (Kerberos) needs cgo, and `failpoints` is for tests.
    (cd "$work/src" && GOWORK=off GOFLAGS= CGO_ENABLED=0 "$go" build -trimpath -buildvcs=false -mod=readonly \
      -ldflags "-X main.VersionStr=$MONGO_TOOLS_RELEASE -X main.GitCommit=$MONGO_TOOLS_COMMIT" \
      -o "$work/bin/$tool" "./$tool/main") || die "go build of $tool failed"
  done

  mkdir -p "$BIN_DIR"
  for tool in "${TOOLS[@]}"; do mv -f "$work/bin/$tool" "$BIN_DIR/$tool"; done
  bins_ok || die "the built tools do not report version $MONGO_TOOLS_RELEASE ($MONGO_TOOLS_COMMIT)"
  log "built ${TOOLS[*]} into $BIN_DIR in $((SECONDS - t0))s"
}

cmd_install() {
  mkdir -p "$MONGO_TOOLS_HOME"
  if ! bins_ok; then
    if command -v flock >/dev/null 2>&1; then
      # Serialize concurrent installs (parallel CI jobs sharing $HOME).
      exec 9>"$MONGO_TOOLS_HOME/.install.lock"
      flock 9
      bins_ok || build
      exec 9>&-
    else
      build
    fi
  fi
  printf '%s\n' "$BIN_DIR"
}

case "${1:-}" in
  install) cmd_install ;;
  *) die "usage: $0 install" ;;
esac
