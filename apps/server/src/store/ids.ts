import { randomBytes } from 'node:crypto';

// As MongoDB's ObjectId is made: seconds, a value random per process, and a counter from a random
// start, so ids are unique without drawing randomness for each one (the memory stores make one per message).
const processPart = randomBytes(5).toString('hex');
let counter = randomBytes(3).readUIntBE(0, 3);

/** A 24-hex-digit id, the same format MongoDB's ObjectId prints, so ids look alike in every store. */
export function newObjectIdHex(): string {
  counter = (counter + 1) % 0x1000000;
  const time = Math.floor(Date.now() / 1000).toString(16).padStart(8, '0');
  return time + processPart + counter.toString(16).padStart(6, '0');
}

const HEX_DIGITS = '0123456789abcdef';

/** Whether `value` is `length` lowercase hex digits (an id `newObjectIdHex` made, a SHA-256): string operations, no pattern. */
export function isLowerHex(value: unknown, length = 24): value is string {
  return typeof value === 'string' && value.length === length && [...value].every((c) => HEX_DIGITS.includes(c));
}
