#!/usr/bin/env bash
# Checks the deployment files without a Docker engine:
#   1. docker-compose.yml is valid with SESSION_SECRET set, and refused (naming SESSION_SECRET)
#      without it;
#   2. nginx accepts deploy/nginx/* laid out as the `web` image holds them (/etc/nginx with
#      conf.d/confab.conf, conf.d/upstream.compose.conf and confab-site.conf);
#   3. nginx accepts the configuration scripts/cluster.sh generates.
# Needs docker-compose (or `docker compose`) and nginx; exits non-zero on the first failure.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib/nginx-local.sh
source "$REPO/scripts/lib/nginx-local.sh"

log() { printf 'check-deploy.sh: %s\n' "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/confab-check-deploy.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

if command -v docker-compose >/dev/null 2>&1; then
  COMPOSE=(docker-compose)
elif docker compose version >/dev/null 2>&1; then
  COMPOSE=(docker compose)
else
  die "neither docker-compose nor docker compose is installed"
fi

# --- 1. docker-compose.yml -----------------------------------------------------------------
# An empty env file, so a developer's .env cannot change the outcome.
: >"$WORK/empty.env"
compose() { "${COMPOSE[@]}" --env-file "$WORK/empty.env" -f "$REPO/docker-compose.yml" "$@"; }

SESSION_SECRET=check-deploy-secret-check-deploy-secret compose config -q ||
  die "docker-compose.yml is not valid"
if out="$(env -u SESSION_SECRET "${COMPOSE[@]}" --env-file "$WORK/empty.env" -f "$REPO/docker-compose.yml" config -q 2>&1)"; then
  die "docker-compose.yml was accepted without SESSION_SECRET"
fi
grep -q 'SESSION_SECRET' <<<"$out" || die "the error without SESSION_SECRET does not name it: $out"
log "ok: docker-compose.yml (and it refuses to run without SESSION_SECRET)"

# --- 2. nginx as in the `web` image --------------------------------------------------------
NGINX_BIN="$(find_nginx)" || die "nginx not found (set NGINX=/path/to/nginx)"
version="$("$NGINX_BIN" -v 2>&1 | sed -n 's#.*nginx/\([0-9.]*\).*#\1#p')"

etc="$WORK/etc-nginx"
mkdir -p "$etc/conf.d" "$etc/tmp"
# The image's own nginx.conf, reduced to what matters: conf.d/*.conf inside `http`.
cat >"$etc/nginx.conf" <<EOF
pid $etc/nginx.pid;
error_log stderr;
events {}
http {
    include mime.types;
    default_type application/octet-stream;
    client_body_temp_path $etc/tmp/client_body;
    proxy_temp_path $etc/tmp/proxy;
    fastcgi_temp_path $etc/tmp/fastcgi;
    uwsgi_temp_path $etc/tmp/uwsgi;
    scgi_temp_path $etc/tmp/scgi;
    include conf.d/*.conf;
}
EOF
for candidate in /etc/nginx/mime.types /usr/local/nginx/conf/mime.types; do
  if [[ -f "$candidate" ]]; then ln -s "$candidate" "$etc/mime.types"; break; fi
done
[[ -e "$etc/mime.types" ]] || printf 'types { text/html html; }\n' >"$etc/mime.types"
# Linked, not copied: what is checked is the files in the repository.
ln -s "$REPO/deploy/nginx/confab.conf" "$etc/conf.d/confab.conf"
ln -s "$REPO/deploy/nginx/site.compose.conf" "$etc/confab-site.conf"
# The one substitution: the service name `server` resolves only inside compose's network.
upstream_sed=(-e 's/server server:3000/server 127.0.0.1:3000/')
if [[ "$(printf '%s\n' "$version" 1.27.3 | sort -V | head -n1)" != 1.27.3 ]]; then
  # Re-resolving upstream names came to open-source nginx in 1.27.3; the image has 1.27.x.
  log "note: nginx $version predates 1.27.3, so the check drops \`resolve\` and \`resolver\` from the upstream"
  upstream_sed+=(-e 's/ resolve\([ ;]\)/\1/' -e '/^[[:space:]]*resolver[[:space:]]/d')
fi
sed "${upstream_sed[@]}" "$REPO/deploy/nginx/upstream.compose.conf" >"$etc/conf.d/upstream.compose.conf"
"$NGINX_BIN" -t -q -c "$etc/nginx.conf" -p "$etc/" || die "nginx rejects deploy/nginx/* as laid out in the web image"
log "ok: nginx $version accepts deploy/nginx/* as the web image holds them"

# --- 3. nginx as scripts/cluster.sh runs it --------------------------------------------------
mkdir -p "$WORK/web"
printf '<!doctype html><div id="app"></div>\n' >"$WORK/web/index.html"
write_local_nginx "$WORK/cluster" "$WORK/cluster-logs" 127.0.0.1:8080 "$WORK/web" \
  $'hash $remote_addr consistent;\nserver 127.0.0.1:3001 max_fails=0;\nserver 127.0.0.1:3002 max_fails=0;'
"$NGINX_BIN" -t -q -c "$WORK/cluster/nginx.conf" -p "$WORK/cluster/" || die "nginx rejects the configuration scripts/cluster.sh writes"
log "ok: nginx accepts the configuration scripts/cluster.sh writes"
