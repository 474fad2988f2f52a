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
