import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { beforeEach, describe, expect, it } from 'vitest';
import type { FileClaim, FileRecord, FileStore } from '../../src/store/ports.js';

/** A file store under test, and what only its implementation can tell. */
export interface FileStoreHarness {
  files: FileStore;
  /** Pieces of writes that never finished, still stored: temporary files, GridFS chunks of no GridFS file. */
  unfinishedPieces(): Promise<number>;
  close(): Promise<void>;
}

// GridFS's default chunk: ranges are also read from inside a later one and across a boundary.
const GRID_CHUNK = 255 * 1024;

/** Byte `i` of every test blob: varied enough that a shifted or reordered range reads wrong. */
const byteAt = (i: number) => (i * 31 + Math.floor(i / 4093) * 7) & 0xff;

/** `size` test bytes from `from`, in pieces of `pieceSize`, made as they are read (never one buffer). */
function generated(size: number, { pieceSize = 64 * 1024, from = 0, failAfter }: { pieceSize?: number; from?: number; failAfter?: number } = {}): Readable {
  let at = 0;
  return new Readable({
    read() {
      if (failAfter !== undefined && at >= failAfter) return void this.destroy(new Error('the uploader went away'));
      if (at >= size) return void this.push(null);
      const piece = Buffer.alloc(Math.min(pieceSize, size - at));
      for (let i = 0; i < piece.length; i += 1) piece[i] = byteAt(from + at + i);
      at += piece.length;
      this.push(piece);
    },
  });
}

async function bytesOf(stream: Readable | null): Promise<Buffer> {
  if (!stream) throw new Error('no such blob');
  const pieces: Buffer[] = [];
  for await (const piece of stream) pieces.push(piece as Buffer);
  return Buffer.concat(pieces);
}

async function digestOf(stream: Readable | null): Promise<{ size: number; sha256: string }> {
  if (!stream) throw new Error('no such blob');
  const hash = createHash('sha256');
  let size = 0;
  for await (const piece of stream) {
    hash.update(piece as Buffer);
    size += (piece as Buffer).length;
  }
  return { size, sha256: hash.digest('hex') };
}

const expectedSlice = (start: number, end: number) => bytesOf(generated(end - start + 1, { from: start }));

/**
 * The behaviour every FileStore must have. Run once per implementation:
 * `describeFileStoreContract('local', async () => ({ files, unfinishedPieces, close }))`.
 */
export function describeFileStoreContract(name: string, open: () => Promise<FileStoreHarness>) {
  describe(`${name} file store contract`, () => {
    let harness: FileStoreHarness;
    let files: FileStore;
    beforeEach(async () => {
      harness = await open();
      files = harness.files;
      return () => harness.close();
    });

    const hex = (n: number, length = 24) => n.toString(16).padStart(length, '0');
    let nextFile = 1;
    const newFileId = () => hex(0xf00000 + nextFile++);
    const [alice, bob] = [hex(0xa1), hex(0xb2)];
    const at = new Date('2026-03-01T12:00:00.000Z');
    const later = (minutes: number) => new Date(at.getTime() + minutes * 60_000);
    const record = (overrides: Partial<FileRecord> = {}): FileRecord => ({
      id: newFileId(),
      ownerId: alice,
      name: 'notes.pdf',
      contentType: 'application/pdf',
      kind: 'file',
      size: 100,
      sha256: 'ab'.repeat(32),
      createdAt: at,
      ...overrides,
    });
    const claimFor = (fileId: string, overrides: Partial<FileClaim> = {}): FileClaim => ({
      fileId,
      authorId: alice,
      clientId: 'send-1',
      roomId: 'lobby',
      at: later(1),
      ...overrides,
    });

    it('a blob streamed in many pieces (3 MB, made as it is read) reads back byte for byte, and its size is what putBlob reports', async () => {
      const id = newFileId();
      const size = 3 * 1024 * 1024 + 12_345;
      expect(await files.putBlob(id, 'file', generated(size))).toBe(size);
      expect(await digestOf(await files.readBlob(id, 'file'))).toEqual(await digestOf(generated(size)));
    });

    it('a range reads exactly its bytes: the first, the last, the middle, inside a later GridFS chunk and across a chunk boundary', async () => {
      const id = newFileId();
      const size = 6 * GRID_CHUNK + 777;
      await files.putBlob(id, 'file', generated(size));
      const ranges = [
        { start: 0, end: 0 },
        { start: size - 1, end: size - 1 },
        { start: 1_000, end: 5_000 },
        { start: 5 * GRID_CHUNK + 10, end: 5 * GRID_CHUNK + 2_000 },
        { start: 2 * GRID_CHUNK - 100, end: 2 * GRID_CHUNK + 99 },
        { start: 0, end: size - 1 },
      ];
      for (const range of ranges) {
        expect((await bytesOf(await files.readBlob(id, 'file', range))).equals(await expectedSlice(range.start, range.end)), JSON.stringify(range)).toBe(true);
      }
    });

    it('a range that does not lie within the blob is refused', async () => {
      const id = newFileId();
      await files.putBlob(id, 'file', generated(1_000));
      await expect(files.readBlob(id, 'file', { start: 500, end: 1_000 })).rejects.toThrow(RangeError);
      await expect(files.readBlob(id, 'file', { start: 10, end: 9 })).rejects.toThrow(RangeError);
    });

    it('a missing blob reads as null: no file, or a file without a thumbnail', async () => {
      expect(await files.readBlob(newFileId(), 'file')).toBeNull();
      const id = newFileId();
      await files.putBlob(id, 'file', generated(10));
      expect(await files.readBlob(id, 'thumbnail')).toBeNull();
      expect(await files.readBlob(id, 'thumbnail', { start: 0, end: 0 })).toBeNull();
    });

    it('the file and its thumbnail are separate blobs', async () => {
      const id = newFileId();
      await files.putBlob(id, 'file', Readable.from([Buffer.from('the picture')]));
      await files.putBlob(id, 'thumbnail', Readable.from([Buffer.from('thumb')]));
      expect((await bytesOf(await files.readBlob(id, 'file'))).toString()).toBe('the picture');
      expect((await bytesOf(await files.readBlob(id, 'thumbnail'))).toString()).toBe('thumb');
    });

    it('a blob is written once: a second write to it is refused and the first stays', async () => {
      const id = newFileId();
      await files.putBlob(id, 'file', Readable.from([Buffer.from('first')]));
      await expect(files.putBlob(id, 'file', Readable.from([Buffer.from('second')]))).rejects.toThrow();
      expect((await bytesOf(await files.readBlob(id, 'file'))).toString()).toBe('first');
    });

    it('a source that fails part-way rejects putBlob with its error and leaves nothing stored', async () => {
      const id = newFileId();
      // Past two GridFS chunks, so some were written before the failure.
      const failing = generated(5 * GRID_CHUNK, { pieceSize: 50_000, failAfter: 2 * GRID_CHUNK + 100_000 });
      await expect(files.putBlob(id, 'file', failing)).rejects.toThrow('the uploader went away');
      expect(await files.readBlob(id, 'file')).toBeNull();
      expect(await harness.unfinishedPieces()).toBe(0);
      // The id is still free for a write that completes.
      expect(await files.putBlob(id, 'file', generated(10))).toBe(10);
    });

    it('a record reads back as created, optional fields kept or absent', async () => {
      const image = record({ kind: 'image', contentType: 'image/png', name: 'cat.png', width: 640, height: 480, thumbnail: { width: 320, height: 240, size: 20 } });
      const plain = record();
      await files.create(image);
      await files.create(plain);
      expect(await files.find(image.id)).toEqual(image);
      expect(await files.find(plain.id)).toEqual(plain);
      expect(await files.find(newFileId())).toBeNull();
    });

    it('a file is recorded once: a second record with its id is refused and the first stays', async () => {
      const first = record();
      await files.create(first);
      await expect(files.create({ ...first, name: 'other.pdf', size: 999 })).rejects.toThrow();
      expect(await files.find(first.id)).toEqual(first);
      expect(await files.usage(alice)).toBe(100);
    });

    it('delete removes the blobs, the record and the claim, and may be repeated', async () => {
      const r = record({ thumbnail: { width: 1, height: 1, size: 5 } });
      await files.putBlob(r.id, 'file', generated(100));
      await files.putBlob(r.id, 'thumbnail', generated(5));
      await files.create(r);
      await files.claim(claimFor(r.id));
      await files.delete(r.id);
      expect(await files.readBlob(r.id, 'file')).toBeNull();
      expect(await files.readBlob(r.id, 'thumbnail')).toBeNull();
      expect(await files.find(r.id)).toBeNull();
      expect(await files.claimOf(r.id)).toBeNull();
      expect(await files.usage(alice)).toBe(0);
      await files.delete(r.id);
      await files.delete(newFileId());
      // Nothing of it comes back: the id could be written again.
      expect(await files.putBlob(r.id, 'file', generated(3))).toBe(3);
    });

    it('usage sums the owner\'s blobs (files and thumbnails) and no one else\'s', async () => {
      expect(await files.usage(alice)).toBe(0);
      const photo = record({ size: 1_000, kind: 'image', thumbnail: { width: 10, height: 10, size: 50 } });
      const doc = record({ size: 300 });
      await files.create(photo);
      await files.create(doc);
      await files.create(record({ ownerId: bob, size: 7_000 }));
      expect(await files.usage(alice)).toBe(1_350);
      expect(await files.usage(bob)).toBe(7_000);
      await files.delete(photo.id);
      expect(await files.usage(alice)).toBe(300);
    });

    it('the first claim wins; a claim by another send gets the first back, the same send gets its own', async () => {
      const r = record();
      await files.create(r);
      const first = claimFor(r.id);
      expect(await files.claim(first)).toEqual(first);
      expect(await files.claim(claimFor(r.id, { clientId: 'send-2', authorId: bob, roomId: 'dm:x', at: later(2) }))).toEqual(first);
      expect(await files.claim(claimFor(r.id, { at: later(3) }))).toEqual(first);
      expect(await files.claimOf(r.id)).toEqual(first);
      expect(await files.claimOf(newFileId())).toBeNull();
    });

    it('20 claims at once for one file: exactly one wins and every caller is told the same winner', async () => {
      const r = record();
      await files.create(r);
      const claims = Array.from({ length: 20 }, (_, i) => claimFor(r.id, { clientId: `send-${i}` }));
      const results = await Promise.all(claims.map((c) => files.claim(c)));
      const winners = new Set(results.map((c) => c.clientId));
      expect(winners.size).toBe(1);
      expect(await files.claimOf(r.id)).toEqual(results[0]);
      expect(claims.map((c) => c.clientId)).toContain(results[0]!.clientId);
    });

    it('releaseClaim by another author or send does nothing; by the claimant it frees the file for the next claim', async () => {
      const r = record();
      await files.create(r);
      const first = claimFor(r.id);
      await files.claim(first);
      await files.releaseClaim(r.id, bob, first.clientId);
      await files.releaseClaim(r.id, alice, 'send-other');
      expect(await files.claimOf(r.id)).toEqual(first);
      await files.releaseClaim(r.id, alice, first.clientId);
      expect(await files.claimOf(r.id)).toBeNull();
      const next = claimFor(r.id, { authorId: bob, clientId: 'send-9' });
      expect(await files.claim(next)).toEqual(next);
      await files.releaseClaim(newFileId(), alice, 'nothing');
    });

    it('setClaimMessage records the message on the claim; without a claim it does nothing', async () => {
      const r = record();
      await files.create(r);
      await files.claim(claimFor(r.id));
      const messageId = hex(0xe5);
      await files.setClaimMessage(r.id, messageId);
      expect(await files.claimOf(r.id)).toEqual({ ...claimFor(r.id), messageId });
      const unclaimed = newFileId();
      await files.setClaimMessage(unclaimed, messageId);
      expect(await files.claimOf(unclaimed)).toBeNull();
    });

    it('unclaimedBefore lists only files older than the moment that nothing claimed, oldest first, at most the limit', async () => {
      const oldest = record({ createdAt: later(1) });
      const claimed = record({ createdAt: later(2) });
      const released = record({ createdAt: later(3) });
      const old = record({ createdAt: later(4), ownerId: bob });
      const recent = record({ createdAt: later(10) });
      // Created out of order: the order is by time, not insertion.
      for (const r of [old, recent, claimed, oldest, released]) await files.create(r);
      await files.claim(claimFor(claimed.id));
      await files.claim(claimFor(released.id));
      await files.releaseClaim(released.id, alice, 'send-1');

      expect(await files.unclaimedBefore(later(10), 10)).toEqual([oldest, released, old]);
      expect(await files.unclaimedBefore(later(10), 2)).toEqual([oldest, released]);
      expect(await files.unclaimedBefore(later(1), 10)).toEqual([]);
      expect(await files.unclaimedBefore(later(11), 10)).toEqual([oldest, released, old, recent]);
      await files.delete(oldest.id);
      expect(await files.unclaimedBefore(later(10), 1)).toEqual([released]);
    });
  });
}
