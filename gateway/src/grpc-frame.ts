// The gRPC framing codec for clients and tools ("@teams/gateway/grpc-frame"): the gateway's
// own envelope, trailer and base64 code, plus an answer reader built on them, so deploy's
// smoke checks and bench's load tools frame and read bodies exactly as the gateway does.
import { Base64Decoder } from "./base64-stream.ts";
import { decodeEnvelopes, encodeEnvelope, trailerFlag } from "./envelope.ts";
import { decodeTrailerBlock } from "./trailer.ts";

export { Base64Decoder } from "./base64-stream.ts";
export {
  decodeEnvelopes,
  type Envelope,
  EnvelopeDecoder,
  encodeEnvelope,
  trailerFlag,
} from "./envelope.ts";
export { decodeTrailerBlock } from "./trailer.ts";

/** One message as a client sends it: flags 0, 4-byte big-endian length, payload. */
export function frameMessage(message: Uint8Array): Buffer {
  return encodeEnvelope(0, message);
}

/**
 * Decodes a whole application/grpc-web-text body. It may be several base64 runs, each with
 * its own padding (the gateway and Envoy encode every chunk as it goes out).
 */
export function decodeBase64Body(text: Uint8Array | string): Buffer {
  const decoder = new Base64Decoder();
  const bytes = decoder.push(text);
  decoder.end();
  return bytes;
}

export interface GrpcWebAnswer {
  messages: Buffer[];
  /** The trailer frame's fields (lower-case names) over `headerTrailers`. */
  trailers: Record<string, string>;
}

/**
 * Splits a complete binary gRPC-Web answer into its messages and its trailer frame; throws
 * if the body ends inside a frame. `headerTrailers`: grpc-* fields from the response
 * headers, where a trailers-only answer carries its status.
 */
export function decodeGrpcWebBody(
  body: Uint8Array,
  headerTrailers: Record<string, string> = {},
): GrpcWebAnswer {
  const messages: Buffer[] = [];
  const trailers = { ...headerTrailers };
  for (const frame of decodeEnvelopes(body)) {
    if ((frame.flags & trailerFlag) !== 0) Object.assign(trailers, decodeTrailerBlock(frame.data));
    else messages.push(frame.data);
  }
  return { messages, trailers };
}
