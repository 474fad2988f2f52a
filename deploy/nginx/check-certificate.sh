#!/bin/sh
# Runs before nginx starts in the `web` image (the nginx image's entrypoint runs every script in
# /docker-entrypoint.d/, and stops when one fails): with no certificate mounted, say what to do
# rather than leave nginx's "cannot load certificate" as the only clue.
set -eu
dir="${CONFAB_CERTS_DIR:-/etc/nginx/certs}"
for file in fullchain.pem privkey.pem; do
  if [ ! -s "$dir/$file" ]; then
    echo "confab: no TLS certificate: $dir/$file is missing (docker-compose.yml mounts ./deploy/certs there)." >&2
    echo "confab: to try Confab locally, run scripts/make-self-signed-cert.sh and start again; for a real certificate see docs/operations.md, \"TLS\"." >&2
    exit 1
  fi
done
