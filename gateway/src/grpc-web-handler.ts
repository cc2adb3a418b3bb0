// One gRPC-Web call: browser request -> upstream HTTP/2 stream -> browser answer. This
// file orders the steps; each job has its own: request-relay.ts, response-relay.ts,
// call-retry.ts (retry, replay, failure status), call-timers.ts, plain-answers.ts.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import http2, { type IncomingHttpHeaders } from "node:http2";
import { logCall } from "./access-log.ts";
import { isRetriable, ReplayBuffer, retryDelayMs, streamFailure } from "./call-retry.ts";
import { CallTimers } from "./call-timers.ts";
import { type RequestFormat, wantsTextResponse } from "./content-type.ts";
import * as h from "./headers.ts";
import type { Logger } from "./logger.ts";
import { toUpstreamHeaders } from "./metadata.ts";
import { writeTrailersOnlyHead } from "./plain-answers.ts";
import { answerFault } from "./request-fault.ts";
import { RequestRelay } from "./request-relay.ts";
import { ResponseRelay } from "./response-relay.ts";
import { Code, fromUpstreamError, GatewayError, isSessionGone } from "./status.ts";
import { encodeGrpcMessage, type HeaderValues } from "./trailer.ts";
import type { Upstream, UpstreamStream } from "./upstream.ts";

export interface CallContext {
  /** Where calls go: the call asks it for a stream, it picks the connection. */
  readonly upstream: Upstream;
  readonly maxMessageBytes: number;
  /** Longest pause between two request body chunks before the call is cut. */
  readonly bodyIdleTimeoutMs: number;
  /**
   * How long a call that never reached a server (connection refused, REFUSED_STREAM,
   * a session going away) is retried on a new stream before UNAVAILABLE.
   */
  readonly retryWindowMs: number;
  readonly logger: Logger;
  /** CORS headers for this answer, given the metadata names it carries. */
  readonly corsHeaders: (metadataNames: readonly string[]) => Record<string, string>;
}

/** Serves one gRPC-Web call; never throws, every failure ends as a grpc-status. */
export function handleGrpcWebCall(
  req: IncomingMessage,
  res: ServerResponse,
  format: RequestFormat,
  context: CallContext,
): void {
  new GrpcWebCall(req, res, format, context).start();
}

/** `"close"`: end the connection after the answer at once (a stalled body: nothing to wait for). */
type CloseConnection = boolean | "close";

class GrpcWebCall {
  readonly #req: IncomingMessage;
  readonly #res: ServerResponse;
  readonly #context: CallContext;
  readonly #textOut: boolean;
  readonly #started = performance.now();
  readonly #timers = new CallTimers();
  readonly #replay: ReplayBuffer;
  readonly #request: RequestRelay;
  readonly #response: ResponseRelay;
  #stream: UpstreamStream | undefined;
  #upstreamHeaders: OutgoingHttpHeaders = {};
  #requestEnded = false;
  #retries = 0;
  #finished = false;
  /** Request bytes still to discard after a refusal before the connection is cut (no bound otherwise). */
  #lingerLeft = Number.POSITIVE_INFINITY;
  #bytesIn = 0;
  #trailers: IncomingHttpHeaders | undefined;
  readonly #onStalled = this.#guarded((error: GatewayError) => this.#fail(error, "close"));

  constructor(
    req: IncomingMessage,
    res: ServerResponse,
    format: RequestFormat,
    context: CallContext,
  ) {
    this.#req = req;
    this.#res = res;
    this.#context = context;
    this.#textOut = wantsTextResponse(req.headers.accept);
    this.#replay = new ReplayBuffer(context.maxMessageBytes);
    this.#request = new RequestRelay(format, req.headers, context.maxMessageBytes);
    this.#response = new ResponseRelay(res, this.#textOut, context.corsHeaders);
  }

  start(): void {
    this.#res.once("close", () => this.#onBrowserGone());
    try {
      this.#upstreamHeaders = toUpstreamHeaders(
        this.#req.url ?? "/",
        this.#req.headers.host ?? this.#context.upstream.address,
        this.#req.headers,
      );
      const timeout = this.#timers.startDeadline(
        this.#req.headers[h.grpcTimeout],
        this.#guarded((error: GatewayError) => this.#fail(error)),
      );
      if (timeout !== undefined) this.#upstreamHeaders[h.grpcTimeout] = timeout;
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
    if (this.#finished) return;
    const sent = this.#replay.chunks;
    if (this.#retries > 0 && sent === undefined) {
      // More arrived during the wait than is kept for a replay: the call cannot be resent whole.
      const message = `upstream ${this.#context.upstream.address} unavailable, and the request is too large to replay on a new connection`;
      this.#fail(new GatewayError(Code.UNAVAILABLE, message), true);
      return;
    }
    let stream: UpstreamStream;
    try {
      stream = this.#context.upstream.openStream(this.#upstreamHeaders);
    } catch (error) {
      // A session that went away between the check and the request: nothing was sent.
      if (isSessionGone(error)) this.#retryOrFail(error as Error);
      else this.#fail(fromUpstreamError(error, this.#context.upstream.address), true);
      return;
    }
    this.#stream = stream;
    this.#relayResponse(stream);
    for (const chunk of sent ?? []) stream.write(chunk);
    if (this.#requestEnded) stream.end();
    this.#req.resume(); // it may have been paused for the previous stream's backpressure
  }

  /** Runs a failed attempt again if the server never saw it and time allows; else fails. */
  #retryOrFail(error: Error | undefined, stream?: UpstreamStream): void {
    const address = this.#context.upstream.address;
    const delay = retryDelayMs(this.#retries);
    const failure = stream
      ? streamFailure(stream, error, address, this.#upstreamHeaders)
      : fromUpstreamError(error, address);
    const elapsed = performance.now() - this.#started;
    if (this.#replay.chunks === undefined || elapsed + delay > this.#context.retryWindowMs) {
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
    this.#timers.retryAfter(
      delay,
      this.#guarded(() => this.#attempt()),
    );
  }

  /** An event handler that ends this call (INTERNAL), never the process, if it throws. */
  #guarded<A extends unknown[]>(handler: (...args: A) => void): (...args: A) => void {
    return (...args) => {
      try {
        handler(...args);
      } catch (error) {
        this.#cancelUpstream();
        this.#finished = true;
        this.#timers.clear();
        answerFault(this.#req, this.#res, error, this.#context.logger, true);
      }
    };
  }

  #upstreamFailed(stream: UpstreamStream, error: Error | undefined): void {
    const canRetry = !this.#res.headersSent && this.#replay.chunks !== undefined;
    if (canRetry && isRetriable(stream, error, this.#upstreamHeaders)) {
      this.#retryOrFail(error, stream);
      return;
    }
    const address = this.#context.upstream.address;
    this.#fail(streamFailure(stream, error, address, this.#upstreamHeaders));
  }

  // Browser -> upstream, with backpressure.
  #relayRequest(): void {
    const idleMs = this.#context.bodyIdleTimeoutMs;
    this.#timers.armBodyIdle(idleMs, this.#onStalled);
    const failBadInput = (error: unknown): void =>
      this.#fail(fromUpstreamError(error, this.#context.upstream.address), true);
    this.#req.on(
      "data",
      this.#guarded((chunk: Buffer) => {
        if (this.#finished) {
          this.#discard(chunk.length);
          return;
        }
        this.#timers.armBodyIdle(idleMs, this.#onStalled);
        this.#bytesIn += chunk.length;
        let bytes: Buffer;
        try {
          bytes = this.#request.push(chunk);
        } catch (error) {
          failBadInput(error);
          return;
        }
        if (bytes.length === 0) return;
        this.#replay.keep(bytes);
        const stream = this.#stream;
        if (stream && !stream.write(bytes)) {
          this.#req.pause();
          stream.once("drain", () => this.#req.resume());
        }
      }),
    );
    this.#req.once(
      "end",
      this.#guarded(() => {
        this.#timers.bodyEnded();
        if (this.#finished) return;
        try {
          this.#request.end();
        } catch (error) {
          failBadInput(error);
          return;
        }
        this.#requestEnded = true;
        this.#stream?.end();
      }),
    );
  }

  // Upstream -> browser. Events of a stream replaced by a retry are ignored.
  #relayResponse(stream: UpstreamStream): void {
    const current = (): boolean => stream === this.#stream && !this.#finished;
    stream.on(
      "response",
      this.#guarded((headers: IncomingHttpHeaders) => {
        if (!current()) return;
        this.#replay.drop(); // committed to this stream: nothing to replay any more
        if (this.#response.start(headers) !== "trailers-only") return;
        this.#finish(Number(headers[h.grpcStatus]), String(headers[h.grpcMessage] ?? ""));
        this.#res.end();
      }),
    );
    stream.on(
      "data",
      this.#guarded((chunk: Buffer) => {
        if (!current() || this.#response.data(chunk)) return;
        stream.pause();
        this.#res.once("drain", () => stream.resume());
      }),
    );
    stream.on(
      "trailers",
      this.#guarded((trailers: IncomingHttpHeaders) => {
        if (current()) this.#trailers = trailers;
      }),
    );
    stream.on(
      "end",
      this.#guarded(() => {
        if (current()) this.#onUpstreamEnd(stream);
      }),
    );
    stream.on(
      "error",
      this.#guarded((error: Error) => {
        if (current()) this.#upstreamFailed(stream, error);
      }),
    );
    stream.on(
      "close",
      this.#guarded(() => {
        if (!current()) return;
        if (this.#trailers && stream.rstCode === http2.constants.NGHTTP2_NO_ERROR) {
          this.#onUpstreamEnd(stream);
        } else this.#upstreamFailed(stream, undefined);
      }),
    );
  }

  #onUpstreamEnd(stream: UpstreamStream): void {
    const notGrpc = this.#response.notGrpcFailure();
    if (notGrpc) {
      this.#fail(notGrpc);
      return;
    }
    const trailers = this.#trailers;
    if (!trailers || trailers[h.grpcStatus] === undefined) {
      const session = stream.session;
      // A dropped connection also ends the stream; the client may retry that one.
      if (!session || session.destroyed || stream.rstCode) {
        this.#fail(streamFailure(stream, undefined, this.#context.upstream.address, {}));
        return;
      }
      // Node reports a reset that arrives after the request ended as a plain end, so
      // "closed early" and "reset" read the same here; both are INTERNAL.
      const message =
        "upstream ended the call without trailers (no grpc-status): it was reset or closed early";
      this.#fail(new GatewayError(Code.INTERNAL, message));
      return;
    }
    if (this.#response.incomplete) {
      const message = "upstream sent its trailers in the middle of a message; the answer was cut";
      this.#fail(new GatewayError(Code.INTERNAL, message));
      return;
    }
    this.#response.writeTrailers(trailers as HeaderValues);
    this.#finish(Number(trailers[h.grpcStatus]), String(trailers[h.grpcMessage] ?? ""));
    this.#res.end();
  }

  /**
   * Ends the call with a gateway-made status: as headers (trailers-only) if nothing was
   * sent yet, else as the trailer frame, or by aborting inside a large frame.
   * `closeConnection` is for bad requests, whose unread body must not be taken as the
   * next request: the body is read and discarded first (a lingering close), unless "close".
   */
  #fail(error: GatewayError, closeConnection: CloseConnection = false): void {
    if (this.#finished) return;
    this.#cancelUpstream();
    if (!this.#res.headersSent) {
      const cors = this.#context.corsHeaders([]);
      const close = closeConnection !== false;
      writeTrailersOnlyHead(this.#res, error.code, error.message, this.#textOut, cors, close);
    } else if (this.#response.atBoundary) {
      const message = encodeGrpcMessage(error.message);
      this.#response.writeTrailers({ [h.grpcStatus]: error.code, [h.grpcMessage]: message });
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

  /** Bytes arriving after the call ended: discarded while lingering, past the bound the connection is cut. */
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
    this.#replay.drop();
    this.#timers.clear();
    logCall(this.#context.logger, {
      path: this.#req.url ?? "/",
      grpcStatus,
      ...(grpcMessage ? { grpcMessage } : {}),
      durationMs: performance.now() - this.#started,
      bytesIn: this.#bytesIn,
      bytesOut: this.#response.bytesOut,
      ...(this.#retries > 0 ? { retries: this.#retries } : {}),
      mode: this.#textOut ? "text" : "binary",
      ...(this.#req.headers.origin ? { origin: this.#req.headers.origin } : {}),
    });
  }
}
