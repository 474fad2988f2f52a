import { createWriteStream } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** How receiving an upload ended. */
export type Received =
  | { kind: 'received'; size: number }
  /** More than the limit arrived: reading stopped there; the partial file is the caller's to remove. */
  | { kind: 'over_limit' }
  /** The upload itself failed (the client went away, or the multipart body was malformed). */
  | { kind: 'broken'; error: Error };

class OverLimit extends Error {}

/**
 * Streams `source` into a new private file at `path` (`wx`: never one that exists; mode 0600),
 * and stops reading as soon as more than `maxBytes` arrived, or `onChunk` (told each chunk's size)
 * says no, so an oversized upload is neither buffered nor written past the limit. Errors writing
 * the file (a full disk) are thrown.
 */
export async function receiveToFile(source: Readable, path: string, maxBytes: number, onChunk: (bytes: number) => boolean = () => true): Promise<Received> {
  // Whichever stream fails first is where the failure came from: pipeline then destroys the others with its error.
  let failedFirst: 'source' | 'file' | undefined;
  source.on('error', () => (failedFirst ??= 'source'));
  const file = createWriteStream(path, { flags: 'wx', mode: 0o600 });
  file.on('error', () => (failedFirst ??= 'file'));
  let size = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      if (size > maxBytes || !onChunk(chunk.length)) callback(new OverLimit());
      else callback(null, chunk);
    },
  });
  try {
    await pipeline(source, limit, file);
  } catch (error) {
    if (error instanceof OverLimit) return { kind: 'over_limit' };
    // A source destroyed without an error (an aborted request) fails the pipeline as a premature close.
    if (failedFirst !== 'file') return { kind: 'broken', error: error as Error };
    throw error;
  }
  return { kind: 'received', size };
}
