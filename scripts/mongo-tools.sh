#!/usr/bin/env bash
# mongodump and mongorestore (MongoDB Database Tools, Apache-2.0) for the backup test and for
# operators without MongoDB's packages: built from source through the Go module proxy, once per
# machine (cached), like scripts/ferretdb.sh builds FerretDB (the steps both share are in
# scripts/lib/go-build.sh).
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

GO_BUILD_LOG_NAME=mongo-tools.sh
# shellcheck source=lib/go-build.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/go-build.sh"

# Commit 887641268977 of 2025-07-15 on master: release 100.12.2 and later fixes.
MONGO_TOOLS_MODULE=github.com/mongodb/mongo-tools
MONGO_TOOLS_VERSION=v0.0.0-20250715155915-887641268977
MONGO_TOOLS_SUM=h1:J9wFLko0N7sbovyHahuRw1NyfMUsNhaauLK87wQ3ruc=
MONGO_TOOLS_RELEASE=100.12.2
MONGO_TOOLS_COMMIT=887641268977
MONGO_TOOLS_HOME="${MONGO_TOOLS_HOME:-${HOME:-/tmp}/.cache/confab/mongo-tools}"
BIN_DIR="$MONGO_TOOLS_HOME/bin"
TOOLS=(mongodump mongorestore)

bins_ok() {
  local tool out
  for tool in "${TOOLS[@]}"; do
    [[ -x "$BIN_DIR/$tool" ]] || return 1
    out="$("$BIN_DIR/$tool" --version 2>/dev/null)" || return 1
    [[ "$out" == *"version: $MONGO_TOOLS_RELEASE"* && "$out" == *"git version: $MONGO_TOOLS_COMMIT"* ]] || return 1
  done
}

build() {
  local go work tool t0
  go="$(find_go)"
  t0=$SECONDS
  go_build_workdir "$MONGO_TOOLS_HOME"
  work="$GO_BUILD_WORK"

  log "building mongodump and mongorestore $MONGO_TOOLS_RELEASE with $("$go" version)..."
  go_fetch_module "$go" "$MONGO_TOOLS_MODULE" "$MONGO_TOOLS_VERSION" nosumdb
  [[ "$GO_MODULE_SUM" == "$MONGO_TOOLS_SUM" ]] || die "$MONGO_TOOLS_MODULE@$MONGO_TOOLS_VERSION has sum $GO_MODULE_SUM, expected $MONGO_TOOLS_SUM"

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
  install_once "$MONGO_TOOLS_HOME" bins_ok build
  printf '%s\n' "$BIN_DIR"
}

case "${1:-}" in
  install) cmd_install ;;
  *) die "usage: $0 install" ;;
esac
