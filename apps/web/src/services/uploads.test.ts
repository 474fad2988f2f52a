import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorText } from '../i18n/errors';
import { loadLocale } from '../i18n';
import { pointPageAt, startUploadServer, type UploadServer } from '../testing/uploadServer.mjs';
import { uploadFile } from './uploads';

// A real HTTP server on a free port; the page's address is moved to it, so that `/api/files` is
// same-origin as in the app. happy-dom's XMLHttpRequest sends the body in one go and fires no
// upload progress events, so progress is asserted in real Chromium (e2e/files.test.ts).
let server: UploadServer;
beforeEach(async () => {
  server = await startUploadServer();
  pointPageAt(server.url);
});
afterEach(async () => {
  await server.close();
  await loadLocale('en');
});

const refusal = (status: number, code: string, message: string, headers?: Record<string, string>) => () => ({ status, body: JSON.stringify({ error: { code, message } }), headers });

describe('uploadFile', () => {
  it('sends the file as one multipart part named file, with its name and bytes, and answers with the stored file', async () => {
    const bytes = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x37, 0x0a, 0xff]);
    const outcome = await uploadFile(new File([bytes], 'report 2026.pdf', { type: 'application/pdf' })).result;

    expect(server.received).toHaveLength(1);
    const [upload] = server.received;
    expect(upload!.parts.map((p) => [p.name, p.filename])).toEqual([['file', 'report 2026.pdf']]);
    expect([...upload!.parts[0]!.bytes]).toEqual([...bytes]);
    expect(upload!.headers['content-type']).toContain('multipart/form-data');
    expect(outcome).toEqual({ ok: true, file: { id: '1'.padStart(24, '0'), name: 'report 2026.pdf', contentType: 'application/octet-stream', size: 10, kind: 'file' } });
  });

  it("a refusal carries the server's error and status: too large, over quota, signed out", async () => {
    server.answerWith(refusal(413, 'file_too_large', 'Files may be at most 25 MB.'));
    expect(await uploadFile(new File(['x'], 'big.iso')).result).toEqual({ ok: false, reason: 'refused', status: 413, error: { code: 'file_too_large', message: 'Files may be at most 25 MB.' } });

    server.answerWith(refusal(413, 'quota_exceeded', 'Your files take all of your 1 GB.'));
    expect(await uploadFile(new File(['x'], 'one-more.zip')).result).toMatchObject({ reason: 'refused', error: { code: 'quota_exceeded', message: 'Your files take all of your 1 GB.' } });

    server.answerWith(refusal(401, 'unauthorized', 'Sign in first.'));
    expect(await uploadFile(new File(['x'], 'a.txt')).result).toMatchObject({ reason: 'refused', status: 401, error: { code: 'unauthorized' } });
  });

  it('a rate limit says when to try again, from the body or else from Retry-After', async () => {
    server.answerWith(refusal(429, 'rate_limited', 'Too many uploads.', { 'retry-after': '7' }));
    expect(await uploadFile(new File(['x'], 'a.txt')).result).toMatchObject({ reason: 'refused', status: 429, error: { code: 'rate_limited', retryAfterMs: 7_000 } });

    server.answerWith(() => ({ status: 429, body: JSON.stringify({ error: { code: 'rate_limited', message: 'Slow down.', retryAfterMs: 1_500 } }), headers: { 'retry-after': '2' } }));
    expect(await uploadFile(new File(['x'], 'a.txt')).result).toMatchObject({ error: { code: 'rate_limited', retryAfterMs: 1_500 } });
  });

  it("a proxy's own 413 page (no JSON) still reads as too large; a bare 502 as the server having trouble", async () => {
    server.answerWith(() => ({ status: 413, body: '<html><body>413 Request Entity Too Large</body></html>', headers: { 'content-type': 'text/html' } }));
    expect(await uploadFile(new File(['x'], 'big.iso')).result).toMatchObject({ reason: 'refused', status: 413, error: { code: 'file_too_large' } });

    server.answerWith(() => ({ status: 502, body: 'Bad Gateway', headers: { 'content-type': 'text/plain' } }));
    expect(await uploadFile(new File(['x'], 'a.txt')).result).toMatchObject({ reason: 'refused', status: 502, error: { code: 'unavailable' } });
  });

  it('the stand-ins for an answer without an error body say what happened in English, and are worded in the language on screen when shown', async () => {
    const shown = async (file: string) => {
      const outcome = await uploadFile(new File(['x'], file)).result;
      if (outcome.ok || outcome.reason === 'aborted') throw new Error('expected a failure');
      return { code: outcome.error.code, message: outcome.error.message, text: errorText(outcome.error) };
    };
    server.answerWith(() => ({ status: 404, body: 'Not Found', headers: { 'content-type': 'text/plain' } }));
    expect(await shown('a.txt')).toEqual({ code: 'internal', message: 'Unexpected response (404).', text: 'Unexpected response (404).' });
    server.answerWith(() => ({ status: 502, body: 'Bad Gateway', headers: { 'content-type': 'text/plain' } }));
    expect(await shown('a.txt')).toMatchObject({ message: 'The server is having trouble. Try again in a moment.' });

    await loadLocale('zh-CN');
    expect(await shown('a.txt')).toEqual({ code: 'unavailable', message: 'The server is having trouble. Try again in a moment.', text: '服务器出现问题，请稍后重试。' });
    server.answerWith(() => ({ status: 413, body: '<html></html>', headers: { 'content-type': 'text/html' } }));
    expect(await shown('big.iso')).toMatchObject({ code: 'file_too_large', text: '文件超过了服务器允许的大小。' });
    server.answerWith(() => 'drop');
    expect(await shown('a.txt')).toMatchObject({ code: 'unavailable', text: '无法连接服务器。请检查网络连接后重试。' });
    await loadLocale('en');
    expect(await shown('a.txt')).toMatchObject({ text: 'Cannot reach the server. Check your connection and try again.' });
  });

  it('a connection that drops without an answer is a network failure, not a refusal', async () => {
    server.answerWith(() => 'drop');
    const outcome = await uploadFile(new File(['x'], 'a.txt')).result;
    expect(outcome).toMatchObject({ ok: false, reason: 'network', status: 0, error: { code: 'unavailable' } });
  });

  it('an abort ends the upload as aborted, and a late answer changes nothing', async () => {
    server.answerWith(() => 'hold');
    const handle = uploadFile(new File(['x'.repeat(1000)], 'slow.bin'));
    await expect.poll(() => server.received.length).toBe(1);
    handle.abort();
    expect(await handle.result).toEqual({ ok: false, reason: 'aborted' });
    // A late answer changes nothing: the handle settled once.
    server.release();
    expect(await handle.result).toEqual({ ok: false, reason: 'aborted' });
  });
});
