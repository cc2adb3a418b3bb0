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

class GrpcWebCall extends CallEnding {
  readonly #request: RequestRelay;
  #upstreamHeaders: OutgoingHttpHeaders = {};
  #requestEnded = false;
  #trailers: IncomingHttpHeaders | undefined;
  readonly #onStalled = this.guarded((error: GatewayError) => {
    this.watch?.stalled?.();
    this.fail(error, "close");
  });

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
    this.res.once("close", () => this.onBrowserGone());
    try {
      this.#upstreamHeaders = toUpstreamHeaders(
        this.req.url ?? "/",
        this.req.headers.host ?? this.context.upstream.address,
        this.req.headers,
      );
      const timeout = this.timers.startDeadline(
        this.req.headers[h.grpcTimeout],
        this.guarded((error: GatewayError) => this.fail(error)),
      );
      if (timeout !== undefined) this.#upstreamHeaders[h.grpcTimeout] = timeout;
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
    const idleMs = this.context.bodyIdleTimeoutMs;
    this.timers.armBodyIdle(idleMs, this.#onStalled);
    const failBadInput = (error: unknown): void =>
      this.fail(fromUpstreamError(error, this.context.upstream.address), true);
    this.req.on(
      "data",
      this.guarded((chunk: Buffer) => {
        if (this.finished) {
          this.linger.discard(this.res, chunk.length);
          return;
        }
        this.timers.armBodyIdle(idleMs, this.#onStalled);
        this.bytesIn += chunk.length;
        let bytes: Buffer;
        try {
          bytes = this.#request.push(chunk);
        } catch (error) {
          failBadInput(error);
          return;
        }
        if (bytes.length === 0) return;
        this.replay.keep(bytes);
        const stream = this.stream;
        if (stream && !stream.write(bytes)) {
          this.req.pause();
          stream.once("drain", () => this.req.resume());
        }
      }),
    );
    this.req.once(
      "end",
      this.guarded(() => {
        this.timers.bodyEnded();
        if (this.finished) return;
        try {
          this.#request.end();
        } catch (error) {
          failBadInput(error);
          return;
        }
        this.#requestEnded = true;
        this.stream?.end();
      }),
    );
  }

  // Upstream -> browser. Events of a stream replaced by a retry are ignored.
  #relayResponse(stream: UpstreamStream): void {
    // biome-ignore lint/suspicious/noExplicitAny: each event's own arguments
    const on = (event: string, handler: (...args: any[]) => void): void => {
      stream.on(
        event,
        this.guarded((...args: unknown[]) => {
          if (stream === this.stream && !this.finished) handler(...args);
        }),
      );
    };
    on("response", (headers: IncomingHttpHeaders) => {
      this.replay.drop(); // committed to this stream: nothing to replay any more
      if (this.response.start(headers) !== "trailers-only") return;
      this.finish(Number(headers[h.grpcStatus]), String(headers[h.grpcMessage] ?? ""));
      this.res.end();
    });
    on("data", (chunk: Buffer) => {
      if (this.response.data(chunk)) return;
      stream.pause();
      this.res.once("drain", () => stream.resume());
    });
    on("trailers", (trailers: IncomingHttpHeaders) => {
      this.#trailers = trailers;
    });
    on("end", () => this.#onUpstreamEnd(stream));
    on("error", (error: Error) => this.#upstreamFailed(stream, error));
    on("close", () => {
      if (this.#trailers && stream.rstCode === http2.constants.NGHTTP2_NO_ERROR) {
        this.#onUpstreamEnd(stream);
      } else this.#upstreamFailed(stream, undefined);
    });
  }

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
