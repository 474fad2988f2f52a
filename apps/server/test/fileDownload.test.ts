import { randomBytes, randomUUID } from 'node:crypto';
import { LIMITS, dmRoomId, type Ack, type AttachmentDto, type MessageDto, type UserDto } from '@confab/shared';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/testing.js';
import { connectLobby, request } from './support/client.js';
import { download, solidImage, uploaded } from './support/files.js';
import { useServer } from './support/server.js';

const harness = useServer();

async function threeUsers() {
  const server = await harness.start();
  const [alice, bob, carol] = [await server.seedUser('alice'), await server.seedUser('bob'), await server.seedUser('carol')];
  return { server, alice, bob, carol };
}

async function channel(server: RunningServer, kind: 'public_channel' | 'private_channel', owner: UserDto, members: UserDto[]): Promise<string> {
  const id = `c:${randomBytes(12).toString('hex')}`;
  const created = await server.stores.rooms.createChannel({ id, kind, name: `room${randomBytes(4).toString('hex')}`, topic: '', createdBy: owner.id, createdAt: new Date() });
  if (created === 'name_taken') throw new Error('name taken');
  for (const member of members) await server.stores.rooms.addMember({ roomId: id, userId: member.id, role: 'member', joinedAt: new Date() });
  return id;
}

/**
 * Stores a message in `roomId` carrying `file`, claimed for it as a send does. Written straight to
 * the stores (claim, append, setClaimMessage), so that these tests of downloading do not depend on
 * the socket send path; filesAcrossInstances.test.ts sends through a real socket.
 */
async function sendWith(server: RunningServer, author: UserDto, roomId: string, file: AttachmentDto) {
  const clientId = randomUUID();
  const at = new Date();
  await server.stores.files.claim({ fileId: file.id, authorId: author.id, clientId, roomId, at });
  const { message } = await server.stores.messages.append({ roomId, clientId, author: { id: author.id, name: author.displayName }, body: '', createdAt: at, attachments: [file] });
  await server.stores.files.setClaimMessage(file.id, message.id);
  return message;
}

const fileBytes = randomBytes(5000);

describe('downloading files over HTTP', () => {
  it('an upload no message took is the uploader’s alone: anyone else gets the 404 a missing file gets', async () => {
    const { server, alice, bob } = await threeUsers();
    const file = await uploaded(server.url, alice.cookie, { bytes: fileBytes, name: 'draft.bin' });
    const own = await download(server.url, alice.cookie, file.id);
    expect(own.status).toBe(200);
    expect(own.bytes.equals(fileBytes)).toBe(true);
    const other = await download(server.url, bob.cookie, file.id);
    const missing = await download(server.url, bob.cookie, randomBytes(12).toString('hex'));
    expect(other.status).toBe(404);
    expect(JSON.parse(other.bytes.toString())).toEqual(JSON.parse(missing.bytes.toString()));
    expect(JSON.parse(other.bytes.toString()).error.code).toBe('not_found');
  });

  it('a file in a private channel: members download it byte-identical; a non-member gets 404 as for a missing file; signed out gets 401', async () => {
    const { server, alice, bob, carol } = await threeUsers();
    const roomId = await channel(server, 'private_channel', alice.user, [alice.user, bob.user]);
    const file = await uploaded(server.url, alice.cookie, { bytes: fileBytes, name: 'plans.bin' });
    await sendWith(server, alice.user, roomId, file);
    for (const member of [alice, bob]) {
      const got = await download(server.url, member.cookie, file.id);
      expect(got.status).toBe(200);
      expect(got.bytes.equals(fileBytes)).toBe(true);
    }
    const outsider = await download(server.url, carol.cookie, file.id);
    expect(outsider.status).toBe(404);
    expect(outsider.bytes.toString()).toBe((await download(server.url, carol.cookie, randomBytes(12).toString('hex'))).bytes.toString());
    const signedOut = await download(server.url, undefined, file.id);
    expect(signedOut.status).toBe(401);
    expect(JSON.parse(signedOut.bytes.toString()).error.code).toBe('unauthorized');
    expect((await download(server.url, alice.cookie, 'not-an-id')).status).toBe(404);
    expect((await download(server.url, alice.cookie, file.id.toUpperCase())).status).toBe(404);
  });

  it('access is checked on every request: a member removed from the room, or a recalled message, gets 404 at once', async () => {
    const { server, alice, bob } = await threeUsers();
    const roomId = await channel(server, 'private_channel', alice.user, [alice.user, bob.user]);
    const file = await uploaded(server.url, alice.cookie, { bytes: fileBytes, name: 'a.bin' });
    const message = await sendWith(server, alice.user, roomId, file);
    const first = await download(server.url, bob.cookie, file.id);
    expect(first.status).toBe(200);
    // A cached copy is revalidated, and the revalidation is refused too.
    const etag = first.headers.get('etag')!;
    await server.stores.rooms.removeMember(roomId, bob.user.id);
    expect((await download(server.url, bob.cookie, file.id, { headers: { 'if-none-match': etag } })).status).toBe(404);
    expect((await download(server.url, alice.cookie, file.id)).status).toBe(200);
    await server.stores.messages.erase(message.id, new Date());
    expect((await download(server.url, alice.cookie, file.id)).status).toBe(404);
  });

  it('a public channel’s files are readable by anyone signed in, as its history is; a DM’s by its two people only', async () => {
    const { server, alice, bob, carol } = await threeUsers();
    const open = await channel(server, 'public_channel', alice.user, [alice.user]);
    const shared = await uploaded(server.url, alice.cookie, { bytes: fileBytes, name: 'open.bin' });
    await sendWith(server, alice.user, open, shared);
    expect((await download(server.url, carol.cookie, shared.id)).status).toBe(200);

    const dm = dmRoomId(alice.user.id, bob.user.id);
    const secret = await uploaded(server.url, alice.cookie, { bytes: fileBytes, name: 'dm.bin' });
    await sendWith(server, alice.user, dm, secret);
    expect((await download(server.url, bob.cookie, secret.id)).status).toBe(200);
    expect((await download(server.url, carol.cookie, secret.id)).status).toBe(404);
  });

  it('an image is served inline with its type; every file response carries nosniff, a sandboxing CSP, CORP and a private no-cache', async () => {
    const { server, alice } = await threeUsers();
    const image = await uploaded(server.url, alice.cookie, { bytes: await solidImage(300, 200, 'png'), name: 'chart q3.png' });
    const got = await download(server.url, alice.cookie, image.id);
    expect(got.status).toBe(200);
    expect(Object.fromEntries(['content-type', 'content-disposition', 'x-content-type-options', 'cross-origin-resource-policy', 'cache-control', 'accept-ranges', 'content-length'].map((h) => [h, got.headers.get(h)]))).toEqual({
      'content-type': 'image/png',
      'content-disposition': 'inline; filename="chart q3.png"',
      'x-content-type-options': 'nosniff',
      'cross-origin-resource-policy': 'same-origin',
      'cache-control': 'private, no-cache',
      'accept-ranges': 'bytes',
      'content-length': String(image.size),
    });
    const csp = got.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain('sandbox');
    expect(csp).not.toContain('script-src');
    expect(got.headers.get('etag')).toMatch(/^"[0-9a-f]{64}"$/);
    expect((await sharp(got.bytes).metadata()).format).toBe('png');
    const pdf = await uploaded(server.url, alice.cookie, { bytes: Buffer.concat([Buffer.from('%PDF-1.4\n'), fileBytes]), name: '☕ menu.pdf' });
    const doc = await download(server.url, alice.cookie, pdf.id);
    expect(doc.headers.get('content-type')).toBe('application/octet-stream');
    expect(doc.headers.get('content-disposition')).toBe(`attachment; filename="? menu.pdf"; filename*=UTF-8''%E2%98%95%20menu.pdf`);
  });

  it('Range: one range gets 206 with Content-Range, an unsatisfiable one 416, several the whole body; If-Range must match the ETag', async () => {
    const { server, alice } = await threeUsers();
    const file = await uploaded(server.url, alice.cookie, { bytes: fileBytes, name: 'r.bin' });
    const size = fileBytes.length;
    const part = await download(server.url, alice.cookie, file.id, { headers: { range: 'bytes=100-199' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${size}`);
    expect(part.headers.get('content-length')).toBe('100');
    expect(part.bytes.equals(fileBytes.subarray(100, 200))).toBe(true);
    const suffix = await download(server.url, alice.cookie, file.id, { headers: { range: 'bytes=-10' } });
    expect(suffix.status).toBe(206);
    expect(suffix.bytes.equals(fileBytes.subarray(size - 10))).toBe(true);
    const beyond = await download(server.url, alice.cookie, file.id, { headers: { range: `bytes=${size}-` } });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe(`bytes */${size}`);
    expect(beyond.bytes.length).toBe(0);
    const several = await download(server.url, alice.cookie, file.id, { headers: { range: 'bytes=0-9,100-109' } });
    expect(several.status).toBe(200);
    expect(several.bytes.equals(fileBytes)).toBe(true);
    const otherUnit = await download(server.url, alice.cookie, file.id, { headers: { range: 'items=0-9' } });
    expect(otherUnit.status).toBe(200);
    expect(otherUnit.bytes.length).toBe(size);
    const etag = part.headers.get('etag')!;
    const stale = await download(server.url, alice.cookie, file.id, { headers: { range: 'bytes=0-9', 'if-range': '"0000"' } });
    expect(stale.status).toBe(200);
    expect(stale.bytes.equals(fileBytes)).toBe(true);
    const dated = await download(server.url, alice.cookie, file.id, { headers: { range: 'bytes=0-9', 'if-range': new Date().toUTCString() } });
    expect(dated.status).toBe(200);
    const current = await download(server.url, alice.cookie, file.id, { headers: { range: 'bytes=0-9', 'if-range': etag } });
    expect(current.status).toBe(206);
    expect(current.bytes.equals(fileBytes.subarray(0, 10))).toBe(true);
  });

  it('If-None-Match with the ETag gets 304 and no body; HEAD gets the headers and no body', async () => {
    const { server, alice } = await threeUsers();
    const file = await uploaded(server.url, alice.cookie, { bytes: fileBytes, name: 'e.bin' });
    const first = await download(server.url, alice.cookie, file.id);
    const etag = first.headers.get('etag')!;
    for (const tag of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const again = await download(server.url, alice.cookie, file.id, { headers: { 'if-none-match': tag } });
      expect(again.status).toBe(304);
      expect(again.bytes.length).toBe(0);
      expect(again.headers.get('etag')).toBe(etag);
      expect(again.headers.get('cache-control')).toBe('private, no-cache');
    }
    expect((await download(server.url, alice.cookie, file.id, { headers: { 'if-none-match': '"other"' } })).status).toBe(200);

    const head = await download(server.url, alice.cookie, file.id, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(fileBytes.length));
    expect(head.headers.get('etag')).toBe(etag);
    expect(head.headers.get('content-disposition')).toBe('attachment; filename="e.bin"');
    expect(head.bytes.length).toBe(0);
    const headRange = await download(server.url, alice.cookie, file.id, { method: 'HEAD', headers: { range: 'bytes=0-99' } });
    expect(headRange.status).toBe(206);
    expect(headRange.headers.get('content-length')).toBe('100');
    expect((await download(server.url, undefined, file.id, { method: 'HEAD' })).status).toBe(401);
  });

  it('the thumbnail is a WebP that fits the limit and keeps the ratio, with an ETag of its own; a file without one gets 404', async () => {
    const { server, alice, bob } = await threeUsers();
    const wide = await uploaded(server.url, alice.cookie, { bytes: await solidImage(2000, 500, 'jpeg'), name: 'wide.jpg' });
    expect(wide.thumbnail).toEqual({ width: LIMITS.thumbnailMaxEdge, height: LIMITS.thumbnailMaxEdge / 4 });
    const thumb = await download(server.url, alice.cookie, wide.id, { thumbnail: true });
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('content-type')).toBe('image/webp');
    expect(thumb.headers.get('content-disposition')).toBe('inline; filename="wide.webp"');
    expect(await sharp(thumb.bytes).metadata()).toMatchObject({ format: 'webp', width: 800, height: 200 });
    const full = await download(server.url, alice.cookie, wide.id);
    expect(thumb.headers.get('etag')).not.toBe(full.headers.get('etag'));
    expect((await download(server.url, alice.cookie, wide.id, { thumbnail: true, headers: { 'if-none-match': thumb.headers.get('etag')! } })).status).toBe(304);
    // Smaller than the limit: not enlarged.
    const small = await uploaded(server.url, alice.cookie, { bytes: await solidImage(120, 300, 'webp'), name: 'tall.webp' });
    expect(small.thumbnail).toEqual({ width: 120, height: 300 });
    expect((await download(server.url, bob.cookie, wide.id, { thumbnail: true })).status).toBe(404);
    const plain = await uploaded(server.url, alice.cookie, { bytes: fileBytes, name: 'p.bin' });
    expect((await download(server.url, alice.cookie, plain.id, { thumbnail: true })).status).toBe(404);
  });

  it('the orphan sweep removes uploads no message took within a day, and keeps fresh and claimed ones', async () => {
    const { server, alice } = await threeUsers();
    const orphan = await uploaded(server.url, alice.cookie, { bytes: fileBytes, name: 'orphan.bin' });
    const kept = await uploaded(server.url, alice.cookie, { bytes: fileBytes, name: 'kept.bin' });
    await sendWith(server, alice.user, 'lobby', kept);
    const justBefore = new Date(Date.now() + LIMITS.unattachedUploadTtlMs - 60_000);
    expect(await server.app.files.sweep(justBefore)).toBe(0);
    expect((await download(server.url, alice.cookie, orphan.id)).status).toBe(200);

    const dayLater = new Date(Date.now() + LIMITS.unattachedUploadTtlMs + 60_000);
    expect(await server.app.files.sweep(dayLater)).toBe(1);
    expect(await server.stores.files.find(orphan.id)).toBeNull();
    expect((await download(server.url, alice.cookie, orphan.id)).status).toBe(404);
    expect((await download(server.url, alice.cookie, kept.id)).status).toBe(200);
    expect(await server.stores.files.usage(alice.user.id)).toBe(fileBytes.length);
  });

  it('a send racing the sweep for an old upload either keeps it or is refused: no message ever names a file the sweep removed', async () => {
    const { server, alice } = await threeUsers();
    const late = await uploaded(server.url, alice.cookie, { bytes: fileBytes, name: 'late.bin' });
    const socket = await connectLobby(server.url, alice);
    let sending: Promise<Ack<MessageDto>> | undefined;
    // Alice's send lands right after the sweep's first look at the file's claims, whichever call that is.
    const files = server.stores.files;
    const sendAfter = <A extends unknown[], R>(call: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
      const result = await call(...args);
      if (!sending) {
        sending = request<MessageDto>(socket, 'message:send', { clientId: randomUUID(), attachments: [late.id] });
        await sending;
      }
      return result;
    };
    files.claimOf = sendAfter(files.claimOf.bind(files));
    files.claim = sendAfter(files.claim.bind(files));
    try {
      await server.app.files.sweep(new Date(Date.now() + LIMITS.unattachedUploadTtlMs + 60_000));
    } finally {
      socket.disconnect();
    }
    const sent = await sending;
    if (sent?.ok) {
      expect(sent.data.attachments).toEqual([late]);
      expect((await download(server.url, alice.cookie, late.id)).status).toBe(200);
    } else {
      expect(sent).toMatchObject({ ok: false, error: { code: 'not_found', field: 'attachments.0' } });
      expect(await server.stores.files.find(late.id)).toBeNull();
    }
  });
});
