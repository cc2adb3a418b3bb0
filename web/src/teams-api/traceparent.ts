/**
 * A W3C Trace Context `traceparent` for one call: version 00, a fresh random 16-byte trace
 * id, a random 8-byte parent (span) id, flags 01 (sampled). The gateway and the server
 * continue the trace; the page needs no tracing SDK for this, only crypto.getRandomValues.
 * https://www.w3.org/TR/trace-context/#traceparent-header
 */
export function newTraceparent(random: (bytes: Uint8Array) => void = fillRandom): string {
  return `00-${randomHex(16, random)}-${randomHex(8, random)}-01`;
}

function fillRandom(bytes: Uint8Array): void {
  crypto.getRandomValues(bytes);
}

// An all-zero id is invalid; getRandomValues gives one with probability 2^-64 or less.
function randomHex(length: number, random: (bytes: Uint8Array) => void): string {
  const bytes = new Uint8Array(length);
  do random(bytes);
  while (bytes.every((byte) => byte === 0));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}
