import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

const mode = (path: string) => statSync(path).mode & 0o777;

describe('the session secret on embedded defaults', () => {
  let root: string;
  let dataDir: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'confab-secret-'));
    dataDir = join(root, 'data');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('is generated once into DATA_DIR (folder 0700, file 0600), and a restart signs with the same one', () => {
    const first = loadConfig({ DATA_DIR: dataDir });
    const second = loadConfig({ DATA_DIR: dataDir });

    expect(first.sessionSecretSource).toBe('file');
    expect(first.sessionSecretPath).toBe(join(dataDir, 'session-secret'));
    expect(first.sessionSecret.length).toBeGreaterThanOrEqual(32);
    expect(second.sessionSecret).toBe(first.sessionSecret);
    expect(readFileSync(first.sessionSecretPath!, 'utf8').trim()).toBe(first.sessionSecret);
    expect(mode(first.sessionSecretPath!)).toBe(0o600);
    expect(mode(dataDir)).toBe(0o700);
  });

  it('tightens a secret file and folder that others could read', () => {
    const secret = 'x'.repeat(40);
    loadConfig({ DATA_DIR: dataDir });
    writeFileSync(join(dataDir, 'session-secret'), secret);
    chmodSync(join(dataDir, 'session-secret'), 0o644);
    chmodSync(dataDir, 0o755);

    expect(loadConfig({ DATA_DIR: dataDir }).sessionSecret).toBe(secret);
    expect(mode(join(dataDir, 'session-secret'))).toBe(0o600);
    expect(mode(dataDir)).toBe(0o700);
  });

  it('leaves an existing folder it did not make as it was (mode, contents), and keeps only its own file private', () => {
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    const config = loadConfig({ DATA_DIR: dataDir });
    expect(mode(dataDir)).toBe(0o755);
    expect(readdirSync(dataDir)).toEqual(['session-secret']);
    expect(mode(config.sessionSecretPath!)).toBe(0o600);
  });

  it('refuses to start on a secret file too short to be one, naming the file', () => {
    loadConfig({ DATA_DIR: dataDir });
    writeFileSync(join(dataDir, 'session-secret'), 'short\n');
    expect(() => loadConfig({ DATA_DIR: dataDir })).toThrow(/session-secret holds no usable session secret/);
  });

  it('uses SESSION_SECRET when it is set, and writes nothing', () => {
    const config = loadConfig({ DATA_DIR: dataDir, SESSION_SECRET: 's'.repeat(32) });
    expect(config).toMatchObject({ sessionSecret: 's'.repeat(32), sessionSecretSource: 'env', sessionSecretPath: undefined });
    expect(existsSync(dataDir)).toBe(false);
  });

  it('in tests signs with a random secret per process and writes nothing', () => {
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir });
    expect(config.sessionSecretSource).toBe('random');
    expect(loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir }).sessionSecret).not.toBe(config.sessionSecret);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('in production requires SESSION_SECRET, an empty one included, and writes nothing', () => {
    for (const env of [{ NODE_ENV: 'production' }, { NODE_ENV: 'production', SESSION_SECRET: '' }]) {
      expect(() => loadConfig({ ...env, DATA_DIR: dataDir })).toThrow(/SESSION_SECRET: SESSION_SECRET is required when NODE_ENV=production/);
    }
    expect(existsSync(dataDir)).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'p'.repeat(32), DATA_DIR: dataDir }).sessionSecretSource).toBe('env');
  });

  it('treats an empty SESSION_SECRET (as in a copied .env.example) as unset, and refuses a short one', () => {
    expect(loadConfig({ SESSION_SECRET: '', DATA_DIR: dataDir }).sessionSecretSource).toBe('file');
    expect(() => loadConfig({ SESSION_SECRET: 'short', DATA_DIR: dataDir })).toThrow(/SESSION_SECRET must be at least 32 characters/);
  });
});
