import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

interface ComposeService {
  environment?: Record<string, string>;
  ports?: { published: number | string; target: number }[];
  volumes?: (string | { source: string; target: string; read_only?: boolean })[];
}

/**
 * docker-compose.yml as docker-compose resolves it (variables substituted) with `env` in an env
 * file of its own, parsed with the YAML library docker-compose itself uses (Debian's python3-yaml).
 */
function resolvedCompose(env: Record<string, string>): Record<string, ComposeService> {
  const dir = mkdtempSync(join(tmpdir(), 'confab-compose-'));
  try {
    const envFile = join(dir, 'compose.env');
    writeFileSync(envFile, Object.entries({ SESSION_SECRET: 'deploy-config-test-secret-0123456789', ...env }).map(([k, v]) => `${k}=${v}\n`).join(''));
    const config = spawnSync('docker-compose', ['--env-file', envFile, '-f', 'docker-compose.yml', 'config'], { cwd: repoRoot, encoding: 'utf8', timeout: 30_000 });
    expect(config.status, config.stderr).toBe(0);
    const json = spawnSync('python3', ['-c', 'import json, sys, yaml; print(json.dumps(yaml.safe_load(sys.stdin)))'], { input: config.stdout, encoding: 'utf8' });
    expect(json.status, json.stderr).toBe(0);
    return (JSON.parse(json.stdout) as { services: Record<string, ComposeService> }).services;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Volumes as `source:target[:ro]` strings, whichever syntax docker-compose printed. */
function mounts(service: ComposeService): string[] {
  return (service.volumes ?? []).map((v) => (typeof v === 'string' ? v : `${v.source}:${v.target}${v.read_only ? ':ro' : ''}`));
}

describe('deployment files', () => {
  it('docker-compose.yml validates (and demands SESSION_SECRET), and nginx accepts deploy/nginx with TLS for both setups', () => {
    // No Docker engine runs here: the compose file is checked with Debian's docker-compose and
    // the nginx configuration with a real nginx (scripts/check-deploy.sh says what it checks).
    const result = spawnSync('bash', ['scripts/check-deploy.sh'], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
    const output = result.stderr + result.stdout;
    expect(output).toContain('ok: docker-compose.yml');
    expect(output).toContain('as the web image holds them, with TLS');
    expect(output).toContain('the web image refuses to start without a certificate');
    expect(output).toContain('scripts/cluster.sh writes, with TLS and without');
    expect(result.status, result.stderr).toBe(0);
  }, 70_000);

  it('the compose stack publishes HTTPS on 443 and HTTP on 80, mounts the certificate read-only, and runs the servers behind it with Secure cookies', () => {
    const services = resolvedCompose({});
    const nginx = services.nginx!;
    expect(nginx.ports?.map((p) => `${p.published}:${p.target}`).sort()).toEqual(['443:443', '80:80']);
    expect(nginx.environment?.CONFAB_HTTPS_PORT).toBe('443');
    expect(mounts(nginx).find((m) => m.endsWith(':/etc/nginx/certs:ro'))).toBe(`${join(repoRoot, 'deploy', 'certs')}:/etc/nginx/certs:ro`);
    // Only nginx is reachable: the servers publish nothing, believe its X-Forwarded-Proto, and mark cookies Secure.
    const server = services.server!;
    expect(server.ports ?? []).toEqual([]);
    expect(server.environment?.TRUST_PROXY).toBe('true');
    expect(server.environment?.COOKIE_SECURE).toBe('true');
  });

  it('CONFAB_HTTPS_PORT moves HTTPS to another host port and tells the redirect about it', () => {
    const nginx = resolvedCompose({ CONFAB_HTTPS_PORT: '8443', CONFAB_HTTP_PORT: '8080' }).nginx!;
    expect(nginx.ports?.map((p) => `${p.published}:${p.target}`).sort()).toEqual(['8080:80', '8443:443']);
    expect(nginx.environment?.CONFAB_HTTPS_PORT).toBe('8443');
  });
});
