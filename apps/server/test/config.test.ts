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
