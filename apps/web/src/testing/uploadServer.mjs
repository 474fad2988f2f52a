// JavaScript with a declaration file beside it (uploadServer.d.mts), not TypeScript: it runs in
// Node (a real HTTP server for unit tests), and Node's types must stay out of the browser code's
// type check (tsconfig.json: `types: ["vite/client"]`).
import { createServer } from 'node:http';

/**
 * A real HTTP server on 127.0.0.1 that reads uploads the way Confab's does (one multipart part
 * named `file`) and answers as the test says. Unit tests point the page at it, so that requests
 * go through a real socket and body, not a stand-in XMLHttpRequest.
 */
export async function startUploadServer() {
  const received = [];
  const held = [];
  let answer = (upload, index) => ({ status: 201, body: JSON.stringify({ file: storedFile(upload, index) }) });

  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const upload = { headers: req.headers, parts: readMultipart(String(req.headers['content-type'] ?? ''), Buffer.concat(chunks)) };
      received.push(upload);
      const what = answer(upload, received.length - 1);
      if (what === 'hold') held.push(res);
      else if (what === 'drop') req.socket.destroy();
      else res.writeHead(what.status, { 'content-type': 'application/json', ...what.headers }).end(what.body);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    url: `http://127.0.0.1:${server.address().port}`,
    received,
    answerWith(next) {
      answer = next;
    },
    heldCount: () => held.length,
    release(index = 0) {
      const [res] = held.splice(index, 1);
      res?.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ file: fileDto('f'.repeat(24), 'held.bin', 1) }));
    },
    releaseAs(index, status, body) {
      const [res] = held.splice(index, 1);
      res?.writeHead(status, { 'content-type': 'application/json' }).end(body);
    },
    async close() {
      for (const res of held.splice(0)) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Moves happy-dom's page to `url`'s origin, so that `/api/files` is same-origin there, as in the app. */
export function pointPageAt(url) {
  window.happyDOM.setURL(`${url}/`);
}

/** What the server answers for the `index`th upload: a stored file named as the part's file name. */
export function storedFile(upload, index) {
  const part = upload.parts.find((p) => p.name === 'file');
  return fileDto(String(index + 1).padStart(24, '0'), part?.filename ?? 'file', part?.bytes.length ?? 0);
}

export function fileDto(id, name, size) {
  return { id, name, contentType: 'application/octet-stream', size, kind: 'file' };
}

/** The parts of a multipart/form-data body (RFC 7578): enough for tests, which send well-formed parts. */
function readMultipart(contentType, body) {
  const boundary = contentType.split('boundary=')[1]?.split(';')[0]?.trim().replaceAll('"', '');
  if (!boundary) return [];
  const delimiter = Buffer.from(`--${boundary}`);
  const parts = [];
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next === -1) break;
    // Each part: CRLF, headers, CRLF CRLF, content, CRLF, then the next delimiter.
    const part = body.subarray(start + delimiter.length + 2, next - 2);
    const split = part.indexOf('\r\n\r\n');
    const headers = part.subarray(0, split).toString('utf8').split('\r\n');
    const disposition = headers.find((h) => h.toLowerCase().startsWith('content-disposition:')) ?? '';
    parts.push({
      name: paramOf(disposition, 'name') ?? '',
      filename: paramOf(disposition, 'filename'),
      bytes: new Uint8Array(part.subarray(split + 4)),
    });
    start = next;
  }
  return parts;
}

function paramOf(header, param) {
  for (const piece of header.split(';')) {
    const [key, ...rest] = piece.trim().split('=');
    if (key === param) return rest.join('=').replaceAll('"', '');
  }
  return null;
}
