import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

describe('MongoDB settings', () => {
  it('without MONGODB_URL (or with it empty) the server uses the memory store, with default timeouts', () => {
    // NODE_ENV test: development would write a session-secret file into the repository.
    for (const env of [{ NODE_ENV: 'test' }, { NODE_ENV: 'test', MONGODB_URL: '' }]) {
      expect(loadConfig(env)).toMatchObject({ mongodbUrl: undefined, mongodbConnectTimeoutMs: 30_000, mongodbServerSelectionTimeoutMs: 2_000 });
    }
  });

  it('takes a mongodb:// or mongodb+srv:// URL and the timeouts', () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      MONGODB_URL: 'mongodb+srv://u:p@cluster.example/confab?retryWrites=true',
      MONGODB_CONNECT_TIMEOUT_MS: '5000',
      MONGODB_SERVER_SELECTION_TIMEOUT_MS: '750',
    });
    expect(config).toMatchObject({ mongodbUrl: 'mongodb+srv://u:p@cluster.example/confab?retryWrites=true', mongodbConnectTimeoutMs: 5000, mongodbServerSelectionTimeoutMs: 750 });
  });

  it.each([
    [{ MONGODB_URL: 'http://localhost:27017' }, /MONGODB_URL: MONGODB_URL must start with mongodb:\/\//],
    [{ MONGODB_CONNECT_TIMEOUT_MS: 'soon' }, /MONGODB_CONNECT_TIMEOUT_MS/],
    [{ MONGODB_SERVER_SELECTION_TIMEOUT_MS: '10' }, /MONGODB_SERVER_SELECTION_TIMEOUT_MS/],
  ])('refuses %j with a readable message', (env, message) => {
    expect(() => loadConfig({ NODE_ENV: 'test', ...env })).toThrow(message);
  });
});

describe('message settings', () => {
  it('edits have no time limit unless EDIT_WINDOW_MINUTES sets one, and 0 switches them off', () => {
    expect(loadConfig({ NODE_ENV: 'test' })).toMatchObject({ editWindowMs: null, reactionsPerMessageMax: 20 });
    expect(loadConfig({ NODE_ENV: 'test', EDIT_WINDOW_MINUTES: '' }).editWindowMs).toBeNull();
    expect(loadConfig({ NODE_ENV: 'test', EDIT_WINDOW_MINUTES: '0' }).editWindowMs).toBe(0);
    expect(loadConfig({ NODE_ENV: 'test', EDIT_WINDOW_MINUTES: '15', REACTIONS_PER_MESSAGE_MAX: '5' })).toMatchObject({ editWindowMs: 900_000, reactionsPerMessageMax: 5 });
  });

  it.each([
    [{ EDIT_WINDOW_MINUTES: '-1' }, /EDIT_WINDOW_MINUTES/],
    [{ EDIT_WINDOW_MINUTES: 'forever' }, /EDIT_WINDOW_MINUTES/],
    [{ REACTIONS_PER_MESSAGE_MAX: '0' }, /REACTIONS_PER_MESSAGE_MAX/],
    [{ RATE_LIMITS: '{"reactions":{"points":0,"durationSeconds":1}}' }, /RATE_LIMITS/],
  ])('refuses %j with a readable message', (env, message) => {
    expect(() => loadConfig({ NODE_ENV: 'test', ...env })).toThrow(message);
  });
});

describe('file settings', () => {
  it('uploads take 25 MiB at most and 1 GiB per user by default; UPLOAD_QUOTA_MB=0 lifts the quota', () => {
    expect(loadConfig({ NODE_ENV: 'test' })).toMatchObject({ uploadMaxBytes: 25 * 1024 * 1024, uploadQuotaBytes: 1024 * 1024 * 1024 });
    expect(loadConfig({ NODE_ENV: 'test', UPLOAD_MAX_MB: '0.5', UPLOAD_QUOTA_MB: '0' })).toMatchObject({ uploadMaxBytes: 512 * 1024, uploadQuotaBytes: null });
  });

  it('keeps files in DATA_DIR/files beside the embedded store, in GridFS with MongoDB, and in a throwaway folder when messages are not kept either, unless FILES_DIR is set', () => {
    expect(loadConfig({ NODE_ENV: 'development', SESSION_SECRET: 'x'.repeat(32), DATA_DIR: '/srv/confab' }).filesDir).toBe('/srv/confab/files');
    expect(loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32), DATA_DIR: '/srv/confab' }).filesDir).toBeUndefined();
    expect(loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32), DATA_DIR: '/srv/confab', FILES_DIR: '/mnt/files' }).filesDir).toBe('/mnt/files');
    expect(loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32), MONGODB_URL: 'mongodb://db/confab', FILES_DIR: '/mnt/files' }).filesDir).toBeUndefined();
    expect(loadConfig({ NODE_ENV: 'test' }).filesDir).toBeUndefined();
  });

  it.each([
    [{ UPLOAD_MAX_MB: '0' }, /UPLOAD_MAX_MB/],
    [{ UPLOAD_MAX_MB: 'big' }, /UPLOAD_MAX_MB/],
    [{ UPLOAD_QUOTA_MB: '-1' }, /UPLOAD_QUOTA_MB/],
    [{ RATE_LIMITS: '{"uploads":{"points":0,"durationSeconds":60}}' }, /RATE_LIMITS/],
  ])('refuses %j with a readable message', (env, message) => {
    expect(() => loadConfig({ NODE_ENV: 'test', ...env })).toThrow(message);
  });
});
