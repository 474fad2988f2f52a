/**
 * The strings that start with `prefix` are exactly those in [prefix, upper bound), in code point
 * order, which is how both servers compare strings without a collation (UTF-8 bytes). So a prefix
 * search is a range query on a lower-cased key: no pattern, nothing to escape. The bound is the
 * prefix with its last code point incremented (`prefix + '\uffff'` would miss names continuing with
 * an emoji or any other code point above U+FFFF); open-ended when no string is greater.
 */
export function prefixRange(prefix: string): { $gte: string; $lt?: string } {
  const codePoints = [...prefix].map((c) => c.codePointAt(0)!);
  while (codePoints.length > 0) {
    const next = codePoints.pop()! + 1;
    if (next <= 0x10ffff) {
      // Surrogate code points cannot be encoded; the next encodable one is U+E000.
      codePoints.push(next === 0xd800 ? 0xe000 : next);
      return { $gte: prefix, $lt: String.fromCodePoint(...codePoints) };
    }
  }
  return { $gte: prefix };
}
