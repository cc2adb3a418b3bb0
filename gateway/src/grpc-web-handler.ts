// One gRPC-Web call: browser request -> upstream HTTP/2 stream -> browser answer. This
// file orders the steps; each job has its own: request-relay.ts, response-relay.ts,
// call-retry.ts (retry, replay, failure status), call-timers.ts, call-ending.ts (the
// endings every step shares).

import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import http2, { type IncomingHttpHeaders } from "node:http2";
import { traceIdOf } from "@teams/server/trace-context";
import { type CallContext, CallEnding } from "./call-ending.ts";
import { isRetriable, streamFailure } from "./call-retry.ts";
import type { RequestFormat } from "./content-type.ts";
import * as h from "./headers.ts";
import { toUpstreamHeaders } from "./metadata.ts";
import { RequestRelay } from "./request-relay.ts";
import { endFailure } from "./response-relay.ts";
import { Code, fromUpstreamError, GatewayError, isSessionGone } from "./status.ts";
import type { HeaderValues } from "./trailer.ts";
import type { UpstreamStream } from "./upstream.ts";

export type { CallContext } from "./call-ending.ts";

/** Serves one gRPC-Web call; never throws, every failure ends as a grpc-status. */
export function handleGrpcWebCall(
  req: IncomingMessage,
  res: ServerResponse,
  format: RequestFormat,
  context: CallContext,
): void {
  new GrpcWebCall(req, res, format, context).start();
}

// The listeners of a call's request, answer and upstream streams are the same functions for
// every call (none is made per call): each finds its call on the emitter, put there by
// start() and #attempt().
const callOf = Symbol("gRPC-Web call");
type CarriesCall = { [callOf]?: GrpcWebCall };

/** A listener shared by every call: runs `handle` for the emitter's call, guarded. */
function callListener<E extends object, T>(
  handle: (call: GrpcWebCall, arg: T, emitter: E) => void,
): (this: E & CarriesCall, arg: T) => void {
  return function listener(this: E & CarriesCall, arg: T): void {
    this[callOf]?.guard(handle, arg, this);
  };
}

class GrpcWebCall extends CallEnding {
  readonly #request: RequestRelay;
  #upstreamHeaders: OutgoingHttpHeaders = {};
  #requestEnded = false;
  #trailers: IncomingHttpHeaders | undefined;

  constructor(
    req: IncomingMessage,
    res: ServerResponse,
    format: RequestFormat,
    context: CallContext,
  ) {
    super(req, res, context);
    this.#request = new RequestRelay(format, req.headers, context.maxMessageBytes);
  }

  protected override get messagesIn(): number {
    return this.#request.messages;
  }

  start(): void {
    (this.res as CarriesCall)[callOf] = this;
    this.res.on("close", browserClosed);
    try {
      this.#upstreamHeaders = toUpstreamHeaders(
        this.req.url ?? "/",
        this.req.headers.host ?? this.context.upstream.address,
        this.req.headers,
      );
      const grpcTimeout = this.req.headers[h.grpcTimeout];
      if (grpcTimeout !== undefined) {
        const timeout = this.timers.startDeadline(
          grpcTimeout,
          this.guarded((error: GatewayError) => this.fail(error)),
        );
        if (timeout !== undefined) this.#upstreamHeaders[h.grpcTimeout] = timeout;
      }
      Object.assign(this.#upstreamHeaders, this.watch?.upstreamHeaders);
    } catch (error) {
      this.fail(fromUpstreamError(error, this.context.upstream.address), true);
      return;
    }
    // At debug level, so a test (or an operator) can see a call is in flight before it ends.
    const logger = this.context.logger;
    if (logger.isLevelEnabled?.("debug") ?? true)
      logger.debug("call started", {
        path: this.req.url,
        ...traceIdOf(this.req.headers.traceparent),
      });
    this.#relayRequest();
    this.#attempt();
  }

  /** Runs a shared listener's `handle` for this call; a throw ends the call, not the process. */
  guard<E, T>(handle: (call: GrpcWebCall, arg: T, emitter: E) => void, arg: T, emitter: E): void {
    try {
      handle(this, arg, emitter);
    } catch (error) {
      this.faulted(error);
    }
  }

  /** The request body stalled (BODY_IDLE_TIMEOUT_MS): called by the call's timers. */
  bodyStalled(error: GatewayError): void {
    try {
      this.watch?.stalled?.();
      this.fail(error, "close");
    } catch (thrown) {
      this.faulted(thrown);
    }
  }

  /** Opens the upstream stream (again, on a retry) and replays what the browser sent. */
  #attempt(): void {
    if (this.finished) return;
    const sent = this.replay.chunks;
    if (this.retry.retries > 0 && sent === undefined) {
      // More arrived during the wait than is kept for a replay: the call cannot be resent whole.
      const message = `upstream ${this.context.upstream.address} unavailable, and the request is too large to replay on a new connection`;
      this.fail(new GatewayError(Code.UNAVAILABLE, message), true);
      return;
    }
    let stream: UpstreamStream;
    try {
      stream = this.context.upstream.openStream(this.#upstreamHeaders);
    } catch (error) {
      // A session that went away between the check and the request: nothing was sent.
      if (isSessionGone(error)) this.#retryOrFail(error as Error);
      else this.fail(fromUpstreamError(error, this.context.upstream.address), true);
      return;
    }
    this.stream = stream;
    this.endpoint = stream.endpoint;
    this.#relayResponse(stream);
    for (const chunk of sent ?? []) stream.write(chunk);
    if (this.#requestEnded) stream.end();
    this.req.resume(); // it may have been paused for the previous stream's backpressure
  }

  /** Runs a failed attempt again if the server never saw it and time allows; else fails. */
  #retryOrFail(error: Error | undefined, stream?: UpstreamStream): void {
    const address = this.context.upstream.address;
    const failure = stream
      ? streamFailure(stream, error, address, this.#upstreamHeaders)
      : fromUpstreamError(error, address);
    const delay = this.replay.chunks === undefined ? undefined : this.retry.next();
    if (delay === undefined) {
      this.fail(failure);
      return;
    }
    this.stream = undefined;
    const retry = this.retry.retries;
    this.context.logger.debug("retrying a call the upstream never started", {
      path: this.req.url,
      retry,
      reason: failure.message,
      ...traceIdOf(this.req.headers.traceparent),
    });
    this.timers.retryAfter(
      delay,
      this.guarded(() => this.#attempt()),
    );
  }

  #upstreamFailed(stream: UpstreamStream, error: Error | undefined): void {
    const canRetry = !this.res.headersSent && this.replay.chunks !== undefined;
    if (canRetry && isRetriable(stream, error, this.#upstreamHeaders)) {
      this.#retryOrFail(error, stream);
      return;
    }
    const address = this.context.upstream.address;
    this.fail(streamFailure(stream, error, address, this.#upstreamHeaders));
  }

  // Browser -> upstream, with backpressure.
  #relayRequest(): void {
    (this.req as CarriesCall)[callOf] = this;
    this.timers.armBodyIdle(this.context.bodyIdleTimeoutMs, this);
    this.req.on("data", requestData);
    this.req.on("end", requestEnd);
  }

  static readonly requestData = (call: GrpcWebCall, chunk: Buffer): void => {
    if (call.finished) {
      call.linger.discard(call.res, chunk.length);
      return;
    }
    call.timers.armBodyIdle(call.context.bodyIdleTimeoutMs, call);
    call.bytesIn += chunk.length;
    let bytes: Buffer;
    try {
      bytes = call.#request.push(chunk);
    } catch (error) {
      call.fail(fromUpstreamError(error, call.context.upstream.address), true);
      return;
    }
    if (bytes.length === 0) return;
    call.replay.keep(bytes);
    const stream = call.stream;
    if (stream && !stream.write(bytes)) {
      call.req.pause();
      stream.once("drain", () => call.req.resume());
    }
  };

  static readonly requestEnd = (call: GrpcWebCall): void => {
    call.timers.bodyEnded();
    if (call.finished) return;
    try {
      call.#request.end();
    } catch (error) {
      call.fail(fromUpstreamError(error, call.context.upstream.address), true);
      return;
    }
    call.#requestEnded = true;
    call.stream?.end();
  };

  // Upstream -> browser. Events of a stream replaced by a retry are ignored.
  #relayResponse(stream: UpstreamStream): void {
    (stream as CarriesCall)[callOf] = this;
    stream.on("response", upstreamResponse);
    stream.on("data", upstreamData);
    stream.on("trailers", upstreamTrailers);
    stream.on("end", upstreamEnd);
    stream.on("error", upstreamError);
    stream.on("close", upstreamClose);
  }

  /** Whether events of `stream` are still this call's to handle. */
  #current(stream: UpstreamStream): boolean {
    return stream === this.stream && !this.finished;
  }

  static readonly upstreamResponse = (
    call: GrpcWebCall,
    headers: IncomingHttpHeaders,
    stream: UpstreamStream,
  ): void => {
    if (!call.#current(stream)) return;
    call.replay.drop(); // committed to this stream: nothing to replay any more
    if (call.response.start(headers) !== "trailers-only") return;
    call.finish(Number(headers[h.grpcStatus]), String(headers[h.grpcMessage] ?? ""));
    call.res.end();
  };

  static readonly upstreamData = (call: GrpcWebCall, chunk: Buffer, stream: UpstreamStream) => {
    if (!call.#current(stream) || call.response.data(chunk)) return;
    stream.pause();
    call.res.once("drain", () => stream.resume());
  };

  static readonly upstreamTrailers = (
    call: GrpcWebCall,
    trailers: IncomingHttpHeaders,
    stream: UpstreamStream,
  ): void => {
    if (call.#current(stream)) call.#trailers = trailers;
  };

  static readonly upstreamEnd = (call: GrpcWebCall, _: unknown, stream: UpstreamStream): void => {
    if (call.#current(stream)) call.#onUpstreamEnd(stream);
  };

  static readonly upstreamError = (call: GrpcWebCall, error: Error, stream: UpstreamStream) => {
    if (call.#current(stream)) call.#upstreamFailed(stream, error);
  };

  static readonly upstreamClose = (call: GrpcWebCall, _: unknown, stream: UpstreamStream) => {
    if (!call.#current(stream)) return;
    if (call.#trailers && stream.rstCode === http2.constants.NGHTTP2_NO_ERROR) {
      call.#onUpstreamEnd(stream);
    } else call.#upstreamFailed(stream, undefined);
  };

  static readonly browserClosed = (call: GrpcWebCall): void => call.onBrowserGone();

  #onUpstreamEnd(stream: UpstreamStream): void {
    const trailers = this.#trailers;
    const failure = endFailure(this.response, trailers, stream, this.context.upstream.address);
    if (failure || !trailers) {
      this.fail(failure ?? new GatewayError(Code.INTERNAL, "no trailers"));
      return;
    }
    this.response.writeTrailers(trailers as HeaderValues);
    this.finish(Number(trailers[h.grpcStatus]), String(trailers[h.grpcMessage] ?? ""));
    this.res.end();
  }
}

const requestData = callListener(GrpcWebCall.requestData);
const requestEnd = callListener(GrpcWebCall.requestEnd);
const upstreamResponse = callListener(GrpcWebCall.upstreamResponse);
const upstreamData = callListener(GrpcWebCall.upstreamData);
const upstreamTrailers = callListener(GrpcWebCall.upstreamTrailers);
const upstreamEnd = callListener(GrpcWebCall.upstreamEnd);
const upstreamError = callListener(GrpcWebCall.upstreamError);
const upstreamClose = callListener(GrpcWebCall.upstreamClose);
const browserClosed = callListener(GrpcWebCall.browserClosed);
