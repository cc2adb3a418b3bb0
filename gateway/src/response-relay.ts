// Upstream -> browser, the answer of one call: headers translated, frames relayed whole
// (base64 in text mode), the trailer frame last; a non-gRPC answer kept as the message.
import type { ServerResponse } from "node:http";
import type { IncomingHttpHeaders } from "node:http2";
import type { Writable } from "node:stream";
import { encodeBase64Chunk } from "./base64-stream.ts";
import { streamFailure } from "./call-retry.ts";
import { isGrpcResponse, responseContentType } from "./content-type.ts";
import * as h from "./headers.ts";
import { toBrowserHeaders } from "./metadata.ts";
import { Code, codeFromHttpStatus, GatewayError } from "./status.ts";
import { encodeTrailerFrame, type HeaderValues } from "./trailer.ts";
import type { UpstreamStream } from "./upstream.ts";
import { WholeFrames } from "./whole-frames.ts";

// Like Envoy, keep at most this much of a non-gRPC upstream answer as grpc-message.
const maxErrorBodyBytes = 16_384;

interface ErrorBody {
  readonly status: number;
  readonly contentType: string;
  readonly chunks: Buffer[];
  size: number;
}

export type AnswerStart = "streaming" | "trailers-only" | "not-grpc";

export class ResponseRelay {
  readonly #res: ServerResponse;
  readonly #http1: boolean;
  readonly #textOut: boolean;
  readonly #corsHeaders: (metadataNames: readonly string[]) => Record<string, string>;
  /** The answer's frames, relayed whole: a trailer may follow only whole frames. */
  readonly #frames = new WholeFrames();
  #errorBody: ErrorBody | undefined;
  bytesOut = 0;

  constructor(
    res: ServerResponse,
    http1: boolean,
    textOut: boolean,
    corsHeaders: (metadataNames: readonly string[]) => Record<string, string>,
  ) {
    this.#res = res;
    this.#http1 = http1;
    this.#textOut = textOut;
    this.#corsHeaders = corsHeaders;
  }

  /** The upstream's response headers: writes the browser's, unless the answer is not gRPC. */
  start(headers: IncomingHttpHeaders): AnswerStart {
    const status = Number(headers[":status"]);
    const contentType = headers[h.contentType];
    if (status !== 200 || !isGrpcResponse(contentType)) {
      this.#errorBody = {
        status,
        contentType: contentType ?? "no content type",
        chunks: [],
        size: 0,
      };
      return "not-grpc";
    }
    const { headers: browserHeaders, metadataNames } = toBrowserHeaders(headers);
    browserHeaders[h.contentType] = responseContentType(this.#textOut);
    const cors = this.#corsHeaders(metadataNames);
    for (const name in cors) browserHeaders[name] = cors[name] as string;
    this.#res.writeHead(200, browserHeaders);
    if (this.#http1) sendWithWhatFollows(this.#res);
    else this.#res.flushHeaders();
    // Trailers-only: the status is in the headers, passed on as headers.
    return headers[h.grpcStatus] === undefined ? "streaming" : "trailers-only";
  }

  /** A data chunk; false when the browser needs the upstream paused (backpressure). */
  data(chunk: Buffer): boolean {
    const errorBody = this.#errorBody;
    if (errorBody) {
      if (errorBody.size < maxErrorBodyBytes) errorBody.chunks.push(chunk);
      errorBody.size += chunk.length;
      return true;
    }
    if (!this.#res.headersSent) return true; // data before headers: the stream's close handles it
    const ready = this.#frames.push(chunk);
    return ready.length === 0 || this.write(ready);
  }

  /** For an answer that was not gRPC: the status it maps to, with its body as the message. */
  notGrpcFailure(): GatewayError | undefined {
    const errorBody = this.#errorBody;
    if (!errorBody) return undefined;
    const body = Buffer.concat(errorBody.chunks)
      .subarray(0, maxErrorBodyBytes)
      .toString("utf8")
      .trim();
    const code = errorBody.status === 200 ? Code.UNKNOWN : codeFromHttpStatus(errorBody.status);
    return new GatewayError(
      code,
      `upstream answered HTTP ${errorBody.status} (${errorBody.contentType}), not gRPC${body ? `: ${body}` : ""}`,
    );
  }

  /** Messages relayed to the browser. */
  get messagesOut(): number {
    return this.#frames.frames;
  }

  /** True when everything relayed is whole frames, so a trailer frame may follow. */
  get atBoundary(): boolean {
    return this.#frames.atBoundary;
  }

  /** Part of a frame arrived whose rest never did. */
  get incomplete(): boolean {
    return this.#frames.incomplete;
  }

  writeTrailers(trailers: HeaderValues): void {
    this.write(encodeTrailerFrame(trailers));
  }

  write(bytes: Buffer): boolean {
    const out = this.#textOut ? encodeBase64Chunk(bytes) : bytes;
    this.bytesOut += out.length;
    // What this answer writes in one turn of the event loop leaves in one write.
    corkForThisTurn(this.#http1 ? this.#res.socket : (this.#res as unknown as Http2Answer).stream);
    return this.#res.write(out);
  }
}

/** The HTTP/2 compatibility answer's stream, whose writes become DATA frames. */
interface Http2Answer {
  readonly stream: Writable | undefined;
}

// The writables corked in this turn of the event loop: one immediate uncorks them all, so
// a write costs an array slot, not an immediate of its own (a fan-out of one event to 1,000
// watchers made 1,000 immediates).
let corkedThisTurn: Writable[] = [];

function uncorkAll(): void {
  const corked = corkedThisTurn;
  corkedThisTurn = [];
  for (const writable of corked) if (writable.writableCorked) writable.uncork();
}

/**
 * Holds a writable's writes (the HTTP/1.1 socket, or the HTTP/2 stream) until the end of
 * this turn of the event loop, so the messages an answer relays in one turn leave in one
 * write (one syscall, one chunk of DATA) instead of one each. Held bytes count towards the
 * writable's buffer, so `write()` still reports backpressure; `end()` uncorks fully.
 */
function corkForThisTurn(writable: Writable | null | undefined): void {
  if (!writable || writable.writableCorked || writable.destroyed) return;
  writable.cork();
  if (corkedThisTurn.push(writable) === 1) setImmediate(uncorkAll);
}

/**
 * HTTP/1.1: the answer's head leaves with whatever the upstream sent in the same turn of the
 * event loop (a unary answer's message, trailer frame and last chunk: one write instead of
 * three). The socket is corked until then; Node's `end()` uncorks it fully, and a streaming
 * answer's head goes out at the end of this turn. HTTP/2 frames are batched by the session.
 */
function sendWithWhatFollows(res: ServerResponse): void {
  corkForThisTurn(res.socket);
  res.flushHeaders();
}

/**
 * Why an upstream stream that ended is not a complete answer, or undefined if it is:
 * not gRPC, no grpc-status (reset, dropped, closed early), or trailers inside a message.
 */
export function endFailure(
  relay: ResponseRelay,
  trailers: IncomingHttpHeaders | undefined,
  stream: UpstreamStream,
  address: string,
): GatewayError | undefined {
  const notGrpc = relay.notGrpcFailure();
  if (notGrpc) return notGrpc;
  if (!trailers || trailers[h.grpcStatus] === undefined) {
    const session = stream.session;
    // A lost connection also ends the stream: dropped, or closed after a GOAWAY (a server's
    // maximum connection age; the pool closes a session itself only once it has no calls).
    // That is UNAVAILABLE, which clients take as "resume"; streamFailure tells them apart.
    if (!session || session.destroyed || session.closed || stream.rstCode) {
      return streamFailure(stream, undefined, address, {});
    }
    // Node reports a reset that arrives after the request ended as a plain end, so
    // "closed early" and "reset" read the same here; both are INTERNAL.
    return new GatewayError(
      Code.INTERNAL,
      "upstream ended the call without trailers (no grpc-status): it was reset or closed early",
    );
  }
  if (relay.incomplete) {
    return new GatewayError(
      Code.INTERNAL,
      "upstream sent its trailers in the middle of a message; the answer was cut",
    );
  }
  return undefined;
}
