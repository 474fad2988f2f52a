# shellcheck shell=bash
# What scripts/ferretdb.sh and scripts/mongo-tools.sh share: one exact version of a Go module,
# downloaded through the Go module proxy and built as the main module (its own go.mod and go.sum
# pin every dependency), once per machine, into a cache folder. Sourced, after the caller set
# GO_BUILD_LOG_NAME (its own name, which starts its log lines).
#
#   log MSG / die MSG                  a line on stderr; die then exits 1
#   find_go                            prints the Go toolchain: $GO, else `go` on PATH, else /usr/local/go/bin/go
#   go_build_workdir CACHE_DIR         sets GO_BUILD_WORK to a new folder under CACHE_DIR, removed on exit
#   go_fetch_module GO MODULE VERSION [nosumdb]
#                                      downloads MODULE@VERSION and copies its source, writable, to
#                                      $GO_BUILD_WORK/src; sets GO_MODULE_SUM and GO_MODULE_HASH.
#                                      nosumdb: the checksum database has no record of MODULE (the
#                                      caller checks GO_MODULE_SUM against its own pin instead)
#   install_once CACHE_DIR IS_BUILT BUILD
#                                      runs the function BUILD unless IS_BUILT succeeds; with flock,
#                                      one at a time (parallel CI jobs sharing $HOME)

log() { printf '%s: %s\n' "$GO_BUILD_LOG_NAME" "$*" >&2; }
die() { log "error: $*"; exit 1; }

find_go() {
  if [[ -n "${GO:-}" ]]; then printf '%s\n' "$GO"; return; fi
  if command -v go >/dev/null 2>&1; then command -v go; return; fi
  if [[ -x /usr/local/go/bin/go ]]; then printf '%s\n' /usr/local/go/bin/go; return; fi
  die "Go toolchain not found (set GO=/path/to/go)"
}

GO_BUILD_WORK=""
go_build_cleanup() {
  if [[ -n "$GO_BUILD_WORK" ]]; then
    # The module cache's files are read-only, and so are their copies until chmod.
    chmod -R u+w "$GO_BUILD_WORK" 2>/dev/null || true
    rm -rf "$GO_BUILD_WORK"
  fi
}

go_build_workdir() { # CACHE_DIR
  GO_BUILD_WORK="$(mktemp -d "$1/build.XXXXXX")"
  trap go_build_cleanup EXIT
}

go_fetch_module() { # GO MODULE VERSION [nosumdb]
  local go="$1" module="$2" version="$3" nosumdb="${4:-}" json dir
  # Outside any module, so a surrounding go.mod or go.work cannot interfere.
  json="$(cd "$GO_BUILD_WORK" && env GOWORK=off GOFLAGS=-mod=mod ${nosumdb:+"GONOSUMDB=$module"} "$go" mod download -json \
    "$module@$version")" || die "go mod download failed: $json"
  dir="$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p' <<<"$json" | head -n1)"
  GO_MODULE_SUM="$(sed -n 's/^[[:space:]]*"Sum": "\(.*\)",$/\1/p' <<<"$json" | head -n1)"
  GO_MODULE_HASH="$(sed -n 's/^[[:space:]]*"Hash": "\([0-9a-f]*\)",*$/\1/p' <<<"$json" | head -n1)"
  [[ -n "$dir" && -f "$dir/go.mod" ]] || die "cannot find the downloaded module in: $json"
  cp -R "$dir" "$GO_BUILD_WORK/src"
  chmod -R u+w "$GO_BUILD_WORK/src"
}

install_once() { # CACHE_DIR IS_BUILT BUILD
  local cache="$1" is_built="$2" build="$3"
  mkdir -p "$cache"
  "$is_built" && return 0
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$cache/.install.lock"
    flock 9
    "$is_built" || "$build"
    exec 9>&-
  else
    "$build"
  fi
}
