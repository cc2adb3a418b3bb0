// gRPC-Web trailers: the upstream's HTTP/2 trailers sent as the body's last frame.
import { encodeLatin1Envelope, trailerFlag } from "./envelope.ts";

export type HeaderValues = Record<string, string | string[] | number | undefined>;

/** Joins repeated values the way gRPC metadata does; -bin values stay comma-separated base64. */
export function joinHeaderValue(name: string, value: string | string[] | number): string {
  if (!Array.isArray(value)) return String(value);
  return value.join(name.endsWith("-bin") ? "," : ", ");
}

/** The `name:value\r\n` lines of trailers, lower-case names, as Envoy writes them. */
function trailerLines(trailers: HeaderValues): string {
  let block = "";
  for (const name in trailers) {
    const value = trailers[name];
    if (value === undefined || name.charCodeAt(0) === 0x3a) continue; // ":status"
    block += `${name.toLowerCase()}:${joinHeaderValue(name, value)}\r\n`;
  }
  return block;
}

/** Serializes trailers as `name:value\r\n` lines with lower-case names, as Envoy does. */
export function encodeTrailerBlock(trailers: HeaderValues): Buffer {
  return Buffer.from(trailerLines(trailers), "latin1");
}

/** The 0x80 trailer frame, written straight into one buffer. */
export function encodeTrailerFrame(trailers: HeaderValues): Buffer {
  return encodeLatin1Envelope(trailerFlag, trailerLines(trailers));
}

/** Parses a trailer block back into a map (names lower-cased). */
export function decodeTrailerBlock(block: Uint8Array): Record<string, string> {
  const trailers: Record<string, string> = {};
  for (const line of Buffer.from(block).toString("latin1").split("\r\n")) {
    if (line === "") continue;
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return trailers;
}

/** Percent-encodes grpc-message: bytes outside printable ASCII, and `%` itself. */
export function encodeGrpcMessage(message: string): string {
  let encoded = "";
  for (const byte of Buffer.from(message, "utf8")) {
    encoded +=
      byte >= 0x20 && byte <= 0x7e && byte !== 0x25
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return encoded;
}

/** Reverses encodeGrpcMessage; a malformed escape is kept as written. */
export function decodeGrpcMessage(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
