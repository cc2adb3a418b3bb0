// Bounds on a request's headers, the same on both listeners: Node's HTTP/1.1 parser stops
// at 16 KiB of request line and headers (431); HTTP/2 enforces nothing of the kind itself
// (SETTINGS_MAX_HEADER_LIST_SIZE is only advertised), so the gateway counts.
import type { IncomingMessage } from "node:http";
import { maxHeaderSize } from "node:http";

/** Largest header list accepted, in RFC 9113 6.5.2 octets (name + value + 32 per field). */
export const maxHeaderListBytes = maxHeaderSize;

/** HTTP/2 only: past this, nghttp2 resets the stream before the gateway sees it. */
export const hardHeaderListBytes = 4 * maxHeaderListBytes;

/**
 * Most header fields forwarded upstream (metadata plus the call's own). Node-based gRPC
 * servers reset a call with more than 128 (ENHANCE_YOUR_CALM); the gateway refuses it first.
 */
export const maxForwardedHeaders = 100;

/** The decoded size of a request's header list, as HTTP/2 counts it. */
export function headerListBytes(req: IncomingMessage): number {
  const raw = req.rawHeaders;
  let bytes = 0;
  for (let index = 0; index < raw.length; index += 1) bytes += (raw[index] as string).length;
  return bytes + (raw.length / 2) * 32;
}

export function headerListTooLarge(bytes: number): string {
  return `request headers are ${bytes} bytes, over the gateway's limit of ${maxHeaderListBytes} (16 KiB, as on HTTP/1.1); send less metadata`;
}

/**
 * Above this, a REFUSED_STREAM is taken as the upstream refusing the call for the size of
 * its headers (gRPC C-core's default limit is 8 KiB), so it is not retried.
 */
export const upstreamHeaderRefusalBytes = 8192;

/** The size of headers about to be sent upstream, counted as for headerListBytes. */
export function outgoingHeaderBytes(headers: Readonly<Record<string, unknown>>): number {
  let bytes = 0;
  for (const name in headers) bytes += name.length + String(headers[name]).length + 32;
  return bytes;
}
