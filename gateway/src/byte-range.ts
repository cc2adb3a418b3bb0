// The Range request header (RFC 9110 14.2): which bytes of a file a client asked for.

/** What to do with a Range header, given the file's size. */
export type RangeDecision =
  /** Serve the whole file (200): no Range, several ranges, another unit, or a conditional range. */
  | { readonly kind: "whole" }
  /** 416 with `Content-Range: bytes *\/size`: a malformed or unsatisfiable bytes range. */
  | { readonly kind: "unsatisfiable" }
  /** 206: these bytes, both ends included, within the file. */
  | { readonly kind: "partial"; readonly start: number; readonly end: number };

const whole: RangeDecision = { kind: "whole" };
const unsatisfiable: RangeDecision = { kind: "unsatisfiable" };
const singleRange = /^(\d*)-(\d*)$/;

/**
 * Decides how to answer `Range: <header>` for a file of `size` bytes. Several ranges are
 * served whole (RFC 9110 allows ignoring Range; multipart answers are not worth it for a
 * page); a last position past the end is clamped, as the RFC says.
 */
export function decideRange(header: string | undefined, size: number): RangeDecision {
  if (header === undefined) return whole;
  const equals = header.indexOf("=");
  if (equals < 0) return unsatisfiable;
  if (header.slice(0, equals).trim().toLowerCase() !== "bytes") return whole; // unit we do not know
  const specs = header.slice(equals + 1).split(",");
  if (specs.length > 1) return whole;
  const match = singleRange.exec((specs[0] as string).trim());
  if (!match) return unsatisfiable;
  const [, first = "", last = ""] = match;
  if (first === "" && last === "") return unsatisfiable;
  if (first === "") {
    // Suffix range: the last N bytes.
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return unsatisfiable;
    return { kind: "partial", start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === "" ? size - 1 : Math.min(Number(last), size - 1);
  if (last !== "" && Number(last) < start) return unsatisfiable; // inverted, e.g. bytes=5-1
  if (start >= size) return unsatisfiable;
  return { kind: "partial", start, end };
}
