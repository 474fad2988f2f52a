import { describe, expect, it } from 'vitest';
import { postJson } from './support/client.js';
import { useServer } from './support/server.js';

const harness = useServer();

describe('HTTP hardening', () => {
  it('sends security headers on API responses: a CSP without inline script, no framing, nosniff, no referrer', async () => {
    const server = await harness.start();
    const res = await fetch(`${server.url}/api/auth/me`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('refuses an oversized JSON body with 413 and no stack trace', async () => {
    const server = await harness.start();
    const res = await postJson(server.url, '/api/auth/register', { username: 'big', password: 'x'.repeat(20_000) });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ error: { code: 'invalid_payload', message: 'The request body is too large.', field: '' } });
  });

  it('answers malformed JSON with a clear error and no stack trace', async () => {
    const server = await harness.start();
    const res = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username":' });
    const body = (await res.json()) as { error: { code: string } };
    expect(res.status).toBe(400);
    expect(body.error.code).toBe('invalid_payload');
    expect(JSON.stringify(body)).not.toMatch(/at \w+ \(|\.ts:\d+/);
  });
});
