#!/usr/bin/env bash
# Makes a self-signed TLS certificate for trying Confab's HTTPS locally (docker compose, or
# scripts/cluster.sh), in the layout nginx is configured for (deploy/nginx/site.compose.conf):
#
#   scripts/make-self-signed-cert.sh [--force] [DIR] [NAME...]
#
#   DIR         where to write (default: deploy/certs, which docker compose mounts into nginx)
#   NAME...     more host names or IP addresses the certificate is valid for, besides
#               localhost, 127.0.0.1 and ::1 (e.g. chat.test 192.168.1.20)
#   --force     replace a certificate already in DIR (refused otherwise: it may be a real one)
#
# Writes DIR/fullchain.pem (the certificate) and DIR/privkey.pem (its key, mode 0600), the names
# certbot gives them. ECDSA P-256, valid for 365 days, for TLS servers only (not a CA).
#
# Browsers warn about a self-signed certificate until you trust it. Clients you control can
# trust this one file instead of turning checks off: `curl --cacert DIR/fullchain.pem`, Node's
# `NODE_EXTRA_CA_CERTS=DIR/fullchain.pem`, or `ca` in its TLS options. For a real server use a
# certificate from a CA, such as Let's Encrypt (docs/operations.md, "TLS").
set -euo pipefail

die() { printf 'make-self-signed-cert.sh: %s\n' "$*" >&2; exit 1; }

force=0
if [[ "${1:-}" == "--force" ]]; then force=1; shift; fi
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${1:-$REPO/deploy/certs}"
(($# > 0)) && shift

command -v openssl >/dev/null 2>&1 || die "openssl is needed (apt-get install openssl)"

san="DNS:localhost,IP:127.0.0.1,IP:::1"
for name in "$@"; do
  # An address goes in as IP:, anything else as DNS: (clients match them separately).
  if [[ "$name" =~ ^[0-9.]+$ || "$name" == *:* ]]; then san+=",IP:$name"; else san+=",DNS:$name"; fi
done

mkdir -p "$DIR"
if [[ -e "$DIR/fullchain.pem" || -e "$DIR/privkey.pem" ]] && ((force == 0)); then
  die "$DIR already holds a certificate; pass --force to replace it"
fi

# Written beside the final files and renamed into place, so nginx never reads half a pair.
key_tmp="$(mktemp "$DIR/.privkey.XXXXXX")"
cert_tmp="$(mktemp "$DIR/.fullchain.XXXXXX")"
trap 'rm -f "$key_tmp" "$cert_tmp"' EXIT
chmod 600 "$key_tmp"

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
  -keyout "$key_tmp" -out "$cert_tmp" -days 365 -sha256 \
  -subj "/CN=${1:-localhost}/O=Confab (self-signed, for local use)" \
  -addext "subjectAltName=$san" \
  -addext "basicConstraints=critical,CA:FALSE" \
  -addext "keyUsage=critical,digitalSignature" \
  -addext "extendedKeyUsage=serverAuth" 2>/dev/null ||
  die "openssl could not make the certificate (it needs OpenSSL 1.1.1 or newer for -addext)"
chmod 644 "$cert_tmp"
mv -f "$key_tmp" "$DIR/privkey.pem"
mv -f "$cert_tmp" "$DIR/fullchain.pem"

printf 'make-self-signed-cert.sh: wrote %s/fullchain.pem and %s/privkey.pem for %s (valid 365 days)\n' "$DIR" "$DIR" "$san" >&2
