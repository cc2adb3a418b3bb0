// Prefix listing as a key range, so the primary-key index bounds the scan on both
// dialects (no LIKE, whose case and escaping rules differ between them).

/**
 * The smallest string greater than every string starting with `prefix`, in code-point
 * order (SQLite BINARY, PostgreSQL "C"); undefined when there is none ("" or only U+10FFFF).
 */
export function prefixUpperBound(prefix: string): string | undefined {
  const points = Array.from(prefix, (char) => char.codePointAt(0) as number);
  while (points.length > 0) {
    const last = (points.pop() as number) + 1;
    if (last > 0x10ffff) continue;
    // Lone surrogates cannot be stored; the next code point after U+D7FF is U+E000.
    points.push(last === 0xd800 ? 0xe000 : last);
    return String.fromCodePoint(...points);
  }
  return undefined;
}
