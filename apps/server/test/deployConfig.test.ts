import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

describe('deployment files', () => {
  it('docker-compose.yml validates (and demands SESSION_SECRET), and nginx accepts deploy/nginx for both setups', () => {
    // No Docker engine runs here: the compose file is checked with Debian's docker-compose and
    // the nginx configuration with a real nginx (scripts/check-deploy.sh says what it checks).
    const result = spawnSync('bash', ['scripts/check-deploy.sh'], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
    expect(result.stderr + result.stdout).toContain('ok: docker-compose.yml');
    expect(result.status, result.stderr).toBe(0);
  });
});
