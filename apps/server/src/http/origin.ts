/**
 * The longest Origin or Host header read: a browser's Origin is a scheme, a host name (at most
 * 253 characters) and a port, so anything longer is refused before it is parsed.
 */
export const MAX_ORIGIN_LENGTH = 512;

/** `value` without its trailing slashes; a loop, because `/\/+$/` backtracks quadratically on `a////…/x`. */
export function trimTrailingSlashes(value: string): string {
  let end = value.length;
  while (end > 0 && value.charCodeAt(end - 1) === 0x2f) end -= 1;
  return value.slice(0, end);
}

/**
 * How an origin compares: its serialisation by the URL parser (lower-case scheme and host, no
 * default port, no path), or for a value the parser gives no origin for (`null`, an opaque
 * scheme), the value itself without trailing slashes.
 */
function originKey(value: string): string {
  try {
    const { origin } = new URL(value);
    if (origin !== 'null') return origin;
  } catch {
    // Not a URL: compared as written.
  }
  return trimTrailingSlashes(value);
}

/**
 * Whether a request's Origin may act on this server. No Origin means a non-browser client: browsers
 * always send one on WebSocket handshakes and cross-site POSTs, which is what cross-site request
 * forgery and WebSocket hijacking need. With no allowlist configured, the allowed origin is the
 * app's own: the one whose host is the request's Host header. An Origin or Host longer than
 * {@link MAX_ORIGIN_LENGTH} is refused unread.
 */
export function isOriginAllowed(origin: string | undefined, host: string | undefined, allowlist: readonly string[]): boolean {
  if (origin === undefined) return true;
  if (origin.length > MAX_ORIGIN_LENGTH) return false;
  if (allowlist.length > 0) {
    const key = originKey(origin);
    return allowlist.some((allowed) => originKey(allowed) === key);
  }
  if (!host || host.length > MAX_ORIGIN_LENGTH) return false;
  try {
    return new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}
