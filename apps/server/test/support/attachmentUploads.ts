import { newObjectIdHex } from '../../src/store/ids.js';
import type { BlobKind, FileStore } from '../../src/store/ports.js';

/** A blob's whole bytes as the file store holds them, or null when it holds no such blob. */
export async function blobOf(files: FileStore, id: string, kind: BlobKind = 'file'): Promise<Buffer | null> {
  const stream = await files.readBlob(id, kind);
  if (!stream) return null;
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/** A file id of the right shape that names no upload. */
export function missingFileId(): string {
  return `00000000${newObjectIdHex().slice(8)}`;
}
