/**
 * Whether a request's Origin may act on this server. No Origin means a non-browser client: browsers
 * always send one on WebSocket handshakes and cross-site POSTs, which is what cross-site request
 * forgery and WebSocket hijacking need. With no allowlist configured, the allowed origin is the
 * app's own: the one whose host is the request's Host header.
 */
export function isOriginAllowed(origin: string | undefined, host: string | undefined, allowlist: readonly string[]): boolean {
  if (origin === undefined) return true;
  if (allowlist.length > 0) return allowlist.includes(origin.replace(/\/+$/, ''));
  if (!host) return false;
  try {
    return new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}
