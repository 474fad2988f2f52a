/**
 * Where to go after signing in: a path on this site, never another origin. `//evil.example` and
 * `/\evil.example` are protocol-relative to browsers, so they fall back to the lobby.
 */
export function safeRedirect(value: unknown): string {
  const target = Array.isArray(value) ? value[0] : value;
  if (typeof target !== 'string' || !target.startsWith('/') || /^\/[/\\]/.test(target)) return '/';
  return target;
}
