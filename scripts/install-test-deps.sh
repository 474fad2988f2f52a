#!/usr/bin/env bash
# Installs what the test suite needs besides the npm packages, skipping whatever is present:
#   pnpm 10 (npm registry), Chromium (Debian package; the browser tests drive it),
#   Redis (Debian package; scale-out tests), nginx, openssl, docker-compose and python3-yaml
#   (Debian packages; the cluster and TLS tests, self-signed certificates, the compose-file
#   check), and FerretDB (built from the Go module proxy once per machine; the MongoDB store
#   tests run against it unless MONGODB_URL is set), and mongodump/mongorestore (MongoDB's
#   Database Tools, built from the Go module proxy once per machine; the backup test).
# Debian/Ubuntu; needs root or sudo for apt-get. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf 'install-test-deps: %s\n' "$*" >&2; }

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

if ! command -v pnpm >/dev/null 2>&1; then
  log "installing pnpm 10"
  as_root npm install -g pnpm@10 >/dev/null
fi

missing=()
[[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]] || missing+=(chromium)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v nginx >/dev/null 2>&1 || [[ -x /usr/sbin/nginx ]] || missing+=(nginx-light)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
# The deployment test reads `docker-compose config` with the YAML library docker-compose uses.
python3 -c 'import yaml' >/dev/null 2>&1 || missing+=(python3-yaml)
if ((${#missing[@]})); then
  log "installing ${missing[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [[ -z "${MONGODB_URL:-}" ]]; then
  log "FerretDB: $(bash scripts/ferretdb.sh install)"
fi
# mongodump and mongorestore, for the backup test (built from the Go module proxy once per machine).
log "mongodump/mongorestore: $(bash scripts/mongo-tools.sh install)"

