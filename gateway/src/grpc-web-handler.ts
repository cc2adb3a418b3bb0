// One gRPC-Web call: browser request -> upstream HTTP/2 stream -> browser answer.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import http2, { type ClientHttp2Stream, type IncomingHttpHeaders } from "node:http2";
import { logCall } from "./access-log.ts";
import { Base64Decoder, encodeBase64Chunk } from "./base64-stream.ts";
import {
  isGrpcResponse,
  type RequestFormat,
  responseContentType,
  wantsTextResponse,
} from "./content-type.ts";
import { RequestFrameScanner } from "./envelope.ts";
import { outgoingHeaderBytes, upstreamHeaderRefusalBytes } from "./header-limits.ts";
import * as h from "./headers.ts";
import { connectionCloseHeader } from "./listener.ts";
import type { Logger } from "./logger.ts";
import { toBrowserHeaders, toUpstreamHeaders } from "./metadata.ts";
import { answerFault } from "./request-fault.ts";
import {
  Code,
  codeFromHttpStatus,
  codeFromRstCode,
  fromUpstreamError,
  GatewayError,
  isUpstreamTlsFailure,
} from "./status.ts";
import { clampDeadline, longestGrpcTimeout, parseGrpcTimeout } from "./timeout.ts";
import { encodeGrpcMessage, encodeTrailerFrame, type HeaderValues } from "./trailer.ts";
import type { UpstreamSession } from "./upstream-session.ts";
import { WholeFrames } from "./whole-frames.ts";

export interface CallContext {
  readonly upstream: UpstreamSession;
  readonly maxMessageBytes: number;
  /** Longest pause between two request body chunks before the call is cut. */
  readonly bodyIdleTimeoutMs: number;
  /**
   * How long a call that never reached a server (connection refused, REFUSED_STREAM,
   * a session going away) is retried on a new session before UNAVAILABLE.
   */
  readonly retryWindowMs: number;
  readonly logger: Logger;
  /** CORS headers for this answer, given the metadata names it carries. */
  readonly corsHeaders: (metadataNames: readonly string[]) => Record<string, string>;
}

// Like Envoy, keep at most this much of a non-gRPC upstream answer as grpc-message.
const maxErrorBodyBytes = 16_384;
// Retry backoff: doubles from the first delay up to the cap, within retryWindowMs.
const firstRetryDelayMs = 10;
const maxRetryDelayMs = 250;

/** Serves one gRPC-Web call; never throws, every failure ends as a grpc-status. */
export function handleGrpcWebCall(
  req: IncomingMessage,
  res: ServerResponse,
  format: RequestFormat,
  context: CallContext,
): void {
  new GrpcWebCall(req, res, format, context).start();
}

class GrpcWebCall {
  readonly #req: IncomingMessage;
  readonly #res: ServerResponse;
  readonly #format: RequestFormat;
  readonly #context: CallContext;
  readonly #textOut: boolean;
  readonly #started = performance.now();
  #stream: ClientHttp2Stream | undefined;
  #upstreamHeaders: OutgoingHttpHeaders = {};
  /** What the browser sent so far, kept to replay on a retry until an answer starts. */
  #sent: Buffer[] | undefined = [];
  #sentBytes = 0;
  #requestEnded = false;
  #answerStarted = false;
  #retries = 0;
  #retryTimer: NodeJS.Timeout | undefined;
  #deadline: NodeJS.Timeout | undefined;
  #bodyIdle: NodeJS.Timeout | undefined;
  #finished = false;
  /** Request bytes still to discard after a refusal before the connection is cut (no bound otherwise). */
  #lingerLeft = Number.POSITIVE_INFINITY;
  #bytesIn = 0;
  #bytesOut = 0;
  #trailers: IncomingHttpHeaders | undefined;
  /** The answer's frames, relayed whole: a trailer may follow only whole frames. */
  readonly #frames = new WholeFrames();
  #errorBody: { status: number; contentType: string; chunks: Buffer[]; size: number } | undefined;

  constructor(
    req: IncomingMessage,
    res: ServerResponse,
    format: RequestFormat,
    context: CallContext,
  ) {
    this.#req = req;
    this.#res = res;
    this.#format = format;
    this.#context = context;
    this.#textOut = wantsTextResponse(req.headers.accept);
  }

  start(): void {
    this.#res.once("close", () => this.#onBrowserGone());
    try {
      this.#upstreamHeaders = toUpstreamHeaders(
        this.#req.url ?? "/",
        this.#req.headers.host ?? this.#context.upstream.address,
        this.#req.headers,
      );
      this.#startDeadline();
    } catch (error) {
      this.#fail(fromUpstreamError(error, this.#context.upstream.address), true);
      return;
    }
    // At debug level, so a test (or an operator) can see a call is in flight before it ends.
    this.#context.logger.debug("call started", { path: this.#req.url });
    this.#relayRequest();
    this.#attempt();
  }

  /** Opens the upstream stream (again, on a retry) and replays what the browser sent. */
  #attempt(): void {
    this.#retryTimer = undefined;
    if (this.#finished) return;
    if (this.#retries > 0 && this.#sent === undefined) {
      // More arrived during the wait than is kept for a replay: the call cannot be resent whole.
      this.#fail(
        new GatewayError(
          Code.UNAVAILABLE,
          `upstream ${this.#context.upstream.address} unavailable, and the request is too large to replay on a new connection`,
        ),
        true,
      );
      return;
    }
    let stream: ClientHttp2Stream;
    try {
      stream = this.#context.upstream.request(this.#upstreamHeaders);
    } catch (error) {
      // A session that went away between the check and the request: nothing was sent.
      if (isSessionGone(error)) this.#retryOrFail(error as Error);
      else this.#fail(fromUpstreamError(error, this.#context.upstream.address), true);
      return;
    }
    this.#stream = stream;
    this.#relayResponse(stream);
    for (const chunk of this.#sent ?? []) stream.write(chunk);
    if (this.#requestEnded) stream.end();
    this.#req.resume(); // it may have been paused for the previous stream's backpressure
  }

  /**
   * Retries a call the server never saw: the stream was refused (REFUSED_STREAM, or
   * above a GOAWAY's last stream id) or never left the gateway (connection refused).
   * A call that may have reached the server is never retried.
   */
  #retryOrFail(error: Error | undefined, stream?: ClientHttp2Stream): void {
    const elapsed = performance.now() - this.#started;
    const delay = Math.min(maxRetryDelayMs, firstRetryDelayMs * 2 ** this.#retries);
    const failure = stream
      ? this.#streamFailure(stream, error)
      : fromUpstreamError(error, this.#context.upstream.address);
    if (this.#sent === undefined || elapsed + delay > this.#context.retryWindowMs) {
      this.#fail(failure);
      return;
    }
    this.#retries += 1;
    this.#stream = undefined;
    this.#context.logger.debug("retrying a call the upstream never started", {
      path: this.#req.url,
      retry: this.#retries,
      reason: failure.message,
    });
    this.#retryTimer = setTimeout(
      this.#guarded(() => this.#attempt()),
      delay,
    );
  }

  /** An event handler that ends this call (INTERNAL), never the process, if it throws. */
  #guarded<A extends unknown[]>(handler: (...args: A) => void): (...args: A) => void {
    return (...args) => {
      try {
        handler(...args);
      } catch (error) {
        this.#fault(error);
      }
    };
  }

  #fault(error: unknown): void {
    this.#cancelUpstream();
    this.#finished = true;
    clearTimeout(this.#deadline);
    clearTimeout(this.#bodyIdle);
    clearTimeout(this.#retryTimer);
    answerFault(this.#req, this.#res, error, this.#context.logger, true);
  }

  #isRetriable(stream: ClientHttp2Stream, error: Error | undefined): boolean {
    if (this.#answerStarted || this.#sent === undefined) return false;
    // A failed TLS handshake never sent the call, but it fails the same way every time.
    if (isUpstreamTlsFailure(error)) return false;
    if (stream.rstCode === http2.constants.NGHTTP2_REFUSED_STREAM) return !this.#refusedForSize();
    // No stream id: its HEADERS never went out (the session failed to connect).
    return stream.id === undefined && (error === undefined || isNeverSent(error));
  }

  #startDeadline(): void {
    const header = this.#req.headers[h.grpcTimeout];
    if (typeof header !== "string") return;
    const ms = parseGrpcTimeout(header);
    // A zero deadline has passed already; timing it would race a fast answer (found by fuzzing).
    if (ms === 0) {
      throw new GatewayError(
        Code.DEADLINE_EXCEEDED,
        `deadline exceeded: grpc-timeout ${header} had passed before the call started; the server was not called`,
      );
    }
    const deadlineMs = clampDeadline(ms);
    // Past what a timer holds: the longest deadline, here and upstream (grpc-js wraps too).
    if (deadlineMs < ms) this.#upstreamHeaders[h.grpcTimeout] = longestGrpcTimeout;
    this.#deadline = setTimeout(
      this.#guarded(() => {
        this.#fail(
          new GatewayError(
            Code.DEADLINE_EXCEEDED,
            `deadline exceeded: no complete answer within grpc-timeout ${header}; the gateway cancelled the call`,
          ),
        );
      }),
      deadlineMs,
    );
  }

  // Browser -> upstream: decode text mode, check frames, keep backpressure.
  #relayRequest(): void {
    const decoder = this.#format.text ? new Base64Decoder() : undefined;
    const encoding = this.#req.headers[h.grpcEncoding];
    const scanner = new RequestFrameScanner(
      this.#context.maxMessageBytes,
      typeof encoding === "string" && encoding.trim().toLowerCase() !== "identity",
    );
    this.#armBodyIdle();
    this.#req.on(
      "data",
      this.#guarded((chunk: Buffer) => {
        if (this.#finished) {
          this.#discard(chunk.length);
          return;
        }
        this.#armBodyIdle();
        this.#bytesIn += chunk.length;
        try {
          const bytes = decoder ? decoder.push(chunk) : chunk;
          scanner.push(bytes);
          if (bytes.length === 0) return;
          this.#keepForRetry(bytes);
          const stream = this.#stream;
          if (stream && !stream.write(bytes)) {
            this.#req.pause();
            stream.once("drain", () => this.#req.resume());
          }
        } catch (error) {
          this.#fail(fromUpstreamError(error, this.#context.upstream.address), true);
        }
      }),
    );
    this.#req.once(
      "end",
      this.#guarded(() => {
        clearTimeout(this.#bodyIdle);
        if (this.#finished) return;
        try {
          decoder?.end();
          scanner.end();
          this.#requestEnded = true;
          this.#stream?.end();
        } catch (error) {
          this.#fail(fromUpstreamError(error, this.#context.upstream.address), true);
        }
      }),
    );
  }

  #keepForRetry(bytes: Buffer): void {
    if (this.#sent === undefined) return;
    this.#sentBytes += bytes.length;
    // One full message (the only kind gRPC-Web sends) plus its prefix; beyond that, no retry.
    if (this.#sentBytes > this.#context.maxMessageBytes + 5) this.#sent = undefined;
    else this.#sent.push(bytes);
  }

  // A trickled body would hold the call (and its upstream stream) for as long as the client likes.
  #armBodyIdle(): void {
    clearTimeout(this.#bodyIdle);
    this.#bodyIdle = setTimeout(
      this.#guarded(() => {
        this.#fail(
          new GatewayError(
            Code.DEADLINE_EXCEEDED,
            `request body stalled: no bytes for ${this.#context.bodyIdleTimeoutMs} ms (BODY_IDLE_TIMEOUT_MS); send the whole body at once`,
          ),
          "close",
        );
      }),
      this.#context.bodyIdleTimeoutMs,
    );
  }

  // Upstream -> browser: headers, each data chunk as it arrives, trailers as the last frame.
  // Events of a stream replaced by a retry are ignored.
  #relayResponse(stream: ClientHttp2Stream): void {
    const current = (): boolean => stream === this.#stream;
    stream.on(
      "response",
      this.#guarded((headers) => {
        if (!current()) return;
        this.#answerStarted = true;
        this.#sent = undefined; // committed to this stream: nothing to replay any more
        this.#onResponseHeaders(headers);
      }),
    );
    stream.on(
      "data",
      this.#guarded((chunk: Buffer) => {
        if (current()) this.#onData(chunk);
      }),
    );
    stream.on(
      "trailers",
      this.#guarded((trailers) => {
        if (current()) this.#trailers = trailers;
      }),
    );
    stream.on(
      "end",
      this.#guarded(() => {
        if (current()) this.#onUpstreamEnd();
      }),
    );
    stream.on(
      "error",
      this.#guarded((error) => {
        if (!current()) return;
        if (this.#isRetriable(stream, error)) this.#retryOrFail(error, stream);
        else this.#fail(this.#streamFailure(stream, error));
      }),
    );
    stream.on(
      "close",
      this.#guarded(() => {
        if (this.#finished || !current()) return;
        if (this.#trailers && stream.rstCode === http2.constants.NGHTTP2_NO_ERROR) {
          this.#onUpstreamEnd();
          return;
        }
        if (this.#isRetriable(stream, undefined)) this.#retryOrFail(undefined, stream);
        else this.#fail(this.#streamFailure(stream));
      }),
    );
  }

  #onResponseHeaders(headers: IncomingHttpHeaders): void {
    if (this.#finished) return;
    const status = Number(headers[":status"]);
    const contentType = headers[h.contentType];
    if (status !== 200 || !isGrpcResponse(contentType)) {
      this.#errorBody = {
        status,
        contentType: contentType ?? "no content type",
        chunks: [],
        size: 0,
      };
      return;
    }
    if (headers[h.grpcStatus] !== undefined) {
      // Trailers-only: the status is in the headers; pass them on as headers.
      this.#writeHead(headers);
      this.#finish(Number(headers[h.grpcStatus]), String(headers[h.grpcMessage] ?? ""));
      this.#res.end();
      return;
    }
    this.#writeHead(headers);
  }

  #onData(chunk: Buffer): void {
    if (this.#finished) return;
    const errorBody = this.#errorBody;
    if (errorBody) {
      if (errorBody.size < maxErrorBodyBytes) errorBody.chunks.push(chunk);
      errorBody.size += chunk.length;
      return;
    }
    if (!this.#res.headersSent) return; // data before headers is a protocol error; close handles it
    const ready = this.#frames.push(chunk);
    if (ready.length > 0 && !this.#write(ready)) {
      this.#stream?.pause();
      this.#res.once("drain", () => this.#stream?.resume());
    }
  }

  #onUpstreamEnd(): void {
    if (this.#finished) return;
    const errorBody = this.#errorBody;
    if (errorBody) {
      const body = Buffer.concat(errorBody.chunks)
        .subarray(0, maxErrorBodyBytes)
        .toString("utf8")
        .trim();
      const code = errorBody.status === 200 ? Code.UNKNOWN : codeFromHttpStatus(errorBody.status);
      this.#fail(
        new GatewayError(
          code,
          `upstream answered HTTP ${errorBody.status} (${errorBody.contentType}), not gRPC${body ? `: ${body}` : ""}`,
        ),
      );
      return;
    }
    const trailers = this.#trailers;
    if (!trailers || trailers[h.grpcStatus] === undefined) {
      const stream = this.#stream;
      const session = stream?.session;
      // A dropped connection also ends the stream; the client may retry that one.
      if (stream && (!session || session.destroyed || stream.rstCode)) {
        this.#fail(this.#streamFailure(stream));
        return;
      }
      // Node reports a reset that arrives after the request ended as a plain end, so
      // "closed early" and "reset" read the same here; both are INTERNAL.
      this.#fail(
        new GatewayError(
          Code.INTERNAL,
          "upstream ended the call without trailers (no grpc-status): it was reset or closed early",
        ),
      );
      return;
    }
    if (this.#frames.incomplete) {
      this.#fail(
        new GatewayError(
          Code.INTERNAL,
          "upstream sent its trailers in the middle of a message; the answer was cut",
        ),
      );
      return;
    }
    this.#write(encodeTrailerFrame(trailers as HeaderValues));
    this.#finish(Number(trailers[h.grpcStatus]), String(trailers[h.grpcMessage] ?? ""));
    this.#res.end();
  }

  /** A refusal of a call with large headers is for their size: the same every time. */
  #refusedForSize(): boolean {
    return outgoingHeaderBytes(this.#upstreamHeaders) > upstreamHeaderRefusalBytes;
  }

  #streamFailure(stream: ClientHttp2Stream, error?: Error): GatewayError {
    // Refused streams come with a session going away: the refusal, not the session, is the news.
    if (stream.rstCode === http2.constants.NGHTTP2_REFUSED_STREAM && this.#refusedForSize()) {
      return new GatewayError(
        Code.RESOURCE_EXHAUSTED,
        `upstream ${this.#context.upstream.address} refused the call (REFUSED_STREAM) with ${outgoingHeaderBytes(this.#upstreamHeaders)} bytes of headers, over its limit; send less metadata`,
      );
    }
    if (stream.rstCode === http2.constants.NGHTTP2_REFUSED_STREAM) {
      return new GatewayError(
        Code.UNAVAILABLE,
        `upstream ${this.#context.upstream.address} refused the call (REFUSED_STREAM): it is shutting down or busy; the call never started, retry it`,
      );
    }
    // A stream cancelled because its session could not connect carries the socket error
    // (ECONNREFUSED, ...): that is the answer, even before the session is marked destroyed.
    if (error && isNeverSent(error))
      return fromUpstreamError(error, this.#context.upstream.address);
    const session = stream.session;
    if (!session || session.destroyed || session.closed) {
      return fromUpstreamError(
        error ??
          Object.assign(new Error("connection lost during the call"), { code: "ECONNRESET" }),
        this.#context.upstream.address,
      );
    }
    const rstCode = stream.rstCode ?? http2.constants.NGHTTP2_INTERNAL_ERROR;
    return new GatewayError(
      codeFromRstCode(rstCode),
      `upstream ${this.#context.upstream.address} reset the call (HTTP/2 error code ${rstCode})`,
    );
  }

  #writeHead(upstreamHeaders: IncomingHttpHeaders): void {
    const { headers, metadataNames } = toBrowserHeaders(upstreamHeaders);
    this.#res.writeHead(200, {
      ...headers,
      [h.contentType]: responseContentType(this.#textOut),
      ...this.#context.corsHeaders(metadataNames),
    });
    this.#res.flushHeaders();
  }

  #write(bytes: Buffer): boolean {
    const out = this.#textOut ? encodeBase64Chunk(bytes) : bytes;
    this.#bytesOut += out.length;
    return this.#res.write(out);
  }

  /**
   * Ends the call with a gateway-made status: as headers (trailers-only) if nothing
   * was sent yet, else as the trailer frame. `closeConnection` is for bad requests,
   * whose unread body must not be taken as the next request.
   */
  #fail(error: GatewayError, closeConnection: boolean | "close" = false): void {
    if (this.#finished) return;
    const status = {
      [h.grpcStatus]: String(error.code),
      [h.grpcMessage]: encodeGrpcMessage(error.message),
    };
    this.#cancelUpstream();
    if (!this.#res.headersSent) {
      this.#res.writeHead(200, {
        ...status,
        [h.contentType]: responseContentType(this.#textOut),
        "content-length": "0",
        ...(closeConnection ? connectionCloseHeader(this.#req) : {}),
        ...this.#context.corsHeaders([]),
      });
    } else if (this.#frames.atBoundary) {
      this.#write(encodeTrailerFrame(status));
    } else {
      // Part of a message is out: a trailer now would be read as the rest of it. Abort the
      // answer instead (as Envoy resets the downstream stream); the runtime reports an error.
      this.#finish(error.code, `${error.message} (answer aborted in the middle of a message)`);
      this.#res.destroy();
      return;
    }
    this.#finish(error.code, error.message);
    // Lingering close: an HTTP/1.1 client still uploading would get EPIPE instead of this
    // answer if the connection closed under it. The answer's headers go now; the rest of
    // the body is read and discarded (up to a bound) before the answer ends and closes.
    if (closeConnection === true && !this.#req.complete && this.#req.httpVersionMajor === 1) {
      this.#res.flushHeaders();
      this.#lingerLeft = 2 * this.#context.maxMessageBytes + 65_536;
      this.#req.once("end", () => this.#res.end());
      this.#req.resume();
      return;
    }
    this.#res.end();
  }

  /** Bytes arriving after the call ended: discarded while lingering, else the connection is cut. */
  #discard(bytes: number): void {
    this.#lingerLeft -= bytes;
    if (this.#lingerLeft < 0) this.#res.destroy();
  }

  #onBrowserGone(): void {
    if (this.#finished) return;
    this.#cancelUpstream();
    this.#finish(Code.CANCELLED, "the browser closed the connection before the call finished");
  }

  #cancelUpstream(): void {
    const stream = this.#stream;
    if (!stream || stream.destroyed) return;
    if (!stream.closed) stream.close(http2.constants.NGHTTP2_CANCEL);
    // A stream paused for the browser's backpressure keeps its unread data, never
    // ends and so never closes: it would stay open in the session for good (found by
    // the soak). Reading the rest (ignored, the call is over) lets it close.
    stream.resume();
  }

  #finish(grpcStatus: number, grpcMessage: string): void {
    this.#finished = true;
    this.#sent = undefined;
    clearTimeout(this.#deadline);
    clearTimeout(this.#bodyIdle);
    clearTimeout(this.#retryTimer);
    logCall(this.#context.logger, {
      path: this.#req.url ?? "/",
      grpcStatus,
      ...(grpcMessage ? { grpcMessage } : {}),
      durationMs: performance.now() - this.#started,
      bytesIn: this.#bytesIn,
      bytesOut: this.#bytesOut,
      ...(this.#retries > 0 ? { retries: this.#retries } : {}),
      mode: this.#textOut ? "text" : "binary",
      ...(this.#req.headers.origin ? { origin: this.#req.headers.origin } : {}),
    });
  }
}

const sessionGoneCodes = new Set(["ERR_HTTP2_GOAWAY_SESSION", "ERR_HTTP2_INVALID_SESSION"]);

function isSessionGone(error: unknown): boolean {
  return sessionGoneCodes.has((error as NodeJS.ErrnoException)?.code ?? "");
}

// Failures that happen before a request can leave: refused connection, session gone.
function isNeverSent(error: Error): boolean {
  const err = error as NodeJS.ErrnoException;
  const cause = err.cause as NodeJS.ErrnoException | undefined;
  return (
    isSessionGone(err) ||
    err.code === "ECONNREFUSED" ||
    cause?.code === "ECONNREFUSED" ||
    err.code === "ERR_HTTP2_STREAM_CANCEL"
  );
}
