// Comparing lists where order does not matter (header names, route prefixes, ports).

/** `"a, B,c"` as `["a", "b", "c"]`; anything but a string as `[]`. */
export function splitList(value: unknown): string[] {
  return typeof value === "string"
    ? value
        .split(",")
        .map((item) => item.trim().toLowerCase())
        .filter(Boolean)
    : [];
}

/** Same items, in any order. */
export function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item) => b.includes(item));
}
