#!/usr/bin/env bash
# Checks the deployment files without a Docker engine:
#   1. docker-compose.yml is valid with SESSION_SECRET set, and refused (naming SESSION_SECRET)
#      without it;
#   2. nginx accepts deploy/nginx/* laid out as the `web` image holds them. The layout is read
#      from the COPY lines of the Dockerfile's `web` stage (conf.d/confab.conf,
#      conf.d/http-redirect.conf, conf.d/upstream.compose.conf, confab-site.conf, and the
#      redirect template, rendered as the image's entrypoint renders it), with a self-signed
#      certificate where compose mounts one; and the image's certificate check refuses to start
#      without a certificate;
#   3. nginx accepts the configuration scripts/cluster.sh generates, with TLS and without.
# Needs docker-compose (or `docker compose`), nginx and openssl; exits non-zero on the first failure.
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
older_than() { [[ "$(printf '%s\n' "$version" "$1" | sort -V | head -n1)" != "$1" ]]; }

certs="$WORK/certs"
bash "$REPO/scripts/make-self-signed-cert.sh" "$certs" 2>/dev/null || die "scripts/make-self-signed-cert.sh failed"

etc="$WORK/etc-nginx"
entrypoint_d="$WORK/docker-entrypoint.d"
mkdir -p "$etc/conf.d" "$etc/tmp" "$entrypoint_d"
# The image's own nginx.conf, reduced to what matters: conf.d/*.conf inside `http`.
cat >"$etc/nginx.conf" <<NGINX_CONF
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
NGINX_CONF
for candidate in /etc/nginx/mime.types /usr/local/nginx/conf/mime.types; do
  if [[ -f "$candidate" ]]; then ln -s "$candidate" "$etc/mime.types"; break; fi
done
[[ -e "$etc/mime.types" ]] || printf 'types { text/html html; }\n' >"$etc/mime.types"

# Every deploy/nginx file the web stage copies, linked (not copied: what is checked is the files
# in the repository) where the image puts it.
stage=""
while read -r -a words; do
  ((${#words[@]})) || continue
  if [[ "${words[0]}" == FROM ]]; then stage="${words[-1]}"; continue; fi
  [[ "$stage" == web && "${words[0]}" == COPY ]] || continue
  args=()
  for word in "${words[@]:1}"; do [[ "$word" == --* ]] || args+=("$word"); done
  dest="${args[-1]}"
  for src in "${args[@]:0:${#args[@]}-1}"; do
    [[ "$src" == deploy/nginx/* ]] || continue
    target="$dest"
    [[ "$dest" == */ ]] && target="$dest$(basename "$src")"
    case "$target" in
      /etc/nginx/*) target="$etc/${target#/etc/nginx/}" ;;
      /docker-entrypoint.d/*) target="$entrypoint_d/${target#/docker-entrypoint.d/}" ;;
      *) die "the web stage copies $src to $target, which this check does not lay out" ;;
    esac
    mkdir -p "$(dirname "$target")"
    ln -s "$REPO/$src" "$target"
  done
done <"$REPO/Dockerfile"
for expected in conf.d/confab.conf conf.d/http-redirect.conf conf.d/upstream.compose.conf confab-site.conf templates/confab-redirect.conf.template; do
  [[ -L "$etc/$expected" ]] || die "the Dockerfile's web stage does not install /etc/nginx/$expected"
done

# What differs on this machine from the image, in copies of the linked files.
replace_link() { # file sed-arguments...
  local file="$1" source
  shift
  source="$(readlink "$file")"
  rm "$file"
  sed "$@" "$source" >"$file"
}
# The service name `server` resolves only inside compose's network.
upstream_sed=(-e 's/server server:3000/server 127.0.0.1:3000/')
if older_than 1.27.3; then
  # Re-resolving upstream names came to open-source nginx in 1.27.3; the image has 1.27.x.
  log "note: nginx $version predates 1.27.3, so the check drops \`resolve\` and \`resolver\` from the upstream"
  upstream_sed+=(-e 's/ resolve\([ ;]\)/\1/' -e '/^[[:space:]]*resolver[[:space:]]/d')
fi
replace_link "$etc/conf.d/upstream.compose.conf" "${upstream_sed[@]}"
# The certificate compose mounts at /etc/nginx/certs.
site_sed=(-e "s#/etc/nginx/certs/#$certs/#g")
if older_than 1.25.1; then
  log "note: nginx $version predates 1.25.1, so the check moves \`http2 on\` onto the listen line"
  site_sed+=(-e '/^[[:space:]]*http2 on;/d' -e 's/^\([[:space:]]*listen[[:space:]].*\) ssl;/\1 ssl http2;/')
fi
replace_link "$etc/confab-site.conf" "${site_sed[@]}"
grep -q "^ssl_certificate $certs/fullchain.pem;" "$etc/confab-site.conf" &&
  grep -q "^ssl_certificate_key $certs/privkey.pem;" "$etc/confab-site.conf" ||
  die "confab-site.conf does not read fullchain.pem and privkey.pem from /etc/nginx/certs, where compose mounts them"
# The image's entrypoint (20-envsubst-on-templates.sh) renders templates/X.template into
# NGINX_ENVSUBST_OUTPUT_DIR/X, substituting the variables set in its environment.
grep -q '^ENV NGINX_ENVSUBST_OUTPUT_DIR=/etc/nginx$' "$REPO/Dockerfile" || die "the web stage no longer renders its templates into /etc/nginx"
for template in "$etc"/templates/*.template; do
  out="$etc/$(basename "$template" .template)"
  sed 's/\${CONFAB_HTTPS_PORT}/443/g' "$template" >"$out"
  if grep -q '\${' "$out"; then die "$(readlink "$template") uses a variable this check does not set"; fi
done
"$NGINX_BIN" -t -q -c "$etc/nginx.conf" -p "$etc/" || die "nginx rejects deploy/nginx/* as laid out in the web image"
log "ok: nginx $version accepts deploy/nginx/* as the web image holds them, with TLS"

# The image's certificate check: stops the start without a certificate, passes with one.
mkdir -p "$WORK/no-certs"
checks=0
for script in "$entrypoint_d"/*.sh; do
  [[ -e "$script" ]] || continue
  if CONFAB_CERTS_DIR="$WORK/no-certs" sh "$script" 2>/dev/null; then die "$(readlink "$script") accepts a missing certificate"; fi
  CONFAB_CERTS_DIR="$certs" sh "$script" || die "$(readlink "$script") refuses a certificate that is there"
  checks=$((checks + 1))
done
((checks > 0)) || die "the web stage installs no certificate check in /docker-entrypoint.d/"
log "ok: the web image refuses to start without a certificate, and accepts one"

# --- 3. nginx as scripts/cluster.sh runs it --------------------------------------------------
mkdir -p "$WORK/web"
printf '<!doctype html><div id="app"></div>\n' >"$WORK/web/index.html"
cluster_upstream=$'hash $remote_addr consistent;\nserver 127.0.0.1:3001 max_fails=0;\nserver 127.0.0.1:3002 max_fails=0;'
write_local_nginx "$WORK/cluster" "$WORK/cluster-logs" 127.0.0.1:8443 "$WORK/web" "$cluster_upstream" "$certs" 127.0.0.1:8080
"$NGINX_BIN" -t -q -c "$WORK/cluster/nginx.conf" -p "$WORK/cluster/" || die "nginx rejects the TLS configuration scripts/cluster.sh writes"
write_local_nginx "$WORK/cluster-plain" "$WORK/cluster-logs" 127.0.0.1:8080 "$WORK/web" "$cluster_upstream"
"$NGINX_BIN" -t -q -c "$WORK/cluster-plain/nginx.conf" -p "$WORK/cluster-plain/" || die "nginx rejects the plain-HTTP configuration scripts/cluster.sh writes (CLUSTER_TLS=off)"
log "ok: nginx accepts the configuration scripts/cluster.sh writes, with TLS and without"
