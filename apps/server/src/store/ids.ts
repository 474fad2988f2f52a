import { randomBytes } from 'node:crypto';

/** A 24-hex-digit id, the same format MongoDB's ObjectId prints, so ids look alike in every store. */
export function newObjectIdHex(): string {
  const time = Math.floor(Date.now() / 1000).toString(16).padStart(8, '0');
  return time + randomBytes(8).toString('hex');
}
