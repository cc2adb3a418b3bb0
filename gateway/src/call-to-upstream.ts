// The upstream half of one gRPC-Web call: the HTTP/2 stream opened on the pool (again on a
// retry, with the browser's bytes replayed), its answer relayed to the browser, and how
// it ends: trailers as the trailer frame, or a failure as a status. The browser half is
// call-from-browser.ts; the endings both share are call-ending.ts.

import type { IncomingMessage, ServerResponse } from "node:http";
import http2, { type IncomingHttpHeaders } from "node:http2";
import { traceIdOf } from "@teams/server/trace-context";
import type { CallContext } from "./call-ending.ts";
import { CallFromBrowser } from "./call-from-browser.ts";
import { type CarriesCall, callListener, callOf } from "./call-listener.ts";
import { isRetriable, streamFailure } from "./call-retry.ts";
import type { RequestFormat } from "./content-type.ts";
import * as h from "./headers.ts";
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
  new CallToUpstream(req, res, format, context).start();
}

class CallToUpstream extends CallFromBrowser {
  #trailers: IncomingHttpHeaders | undefined;

  /** Opens the upstream stream (again, on a retry) and replays what the browser sent. */
  protected attempt(): void {
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
      stream = this.context.upstream.openStream(this.upstreamHeaders);
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
    if (this.requestEnded) stream.end();
    this.req.resume(); // it may have been paused for the previous stream's backpressure
  }

  /** Runs a failed attempt again if the server never saw it and time allows; else fails. */
  #retryOrFail(error: Error | undefined, stream?: UpstreamStream): void {
    const address = this.context.upstream.address;
    const failure = stream
      ? streamFailure(stream, error, address, this.upstreamHeaders)
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
      this.guarded(() => this.attempt()),
    );
  }

  #upstreamFailed(stream: UpstreamStream, error: Error | undefined): void {
    const canRetry = !this.res.headersSent && this.replay.chunks !== undefined;
    if (canRetry && isRetriable(stream, error, this.upstreamHeaders)) {
      this.#retryOrFail(error, stream);
      return;
    }
    const address = this.context.upstream.address;
    this.fail(streamFailure(stream, error, address, this.upstreamHeaders));
  }

  // Upstream -> browser. Events of a stream replaced by a retry are ignored.
  #relayResponse(stream: UpstreamStream): void {
    (stream as CarriesCall<CallToUpstream>)[callOf] = this;
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
    call: CallToUpstream,
    headers: IncomingHttpHeaders,
    stream: UpstreamStream,
  ): void => {
    if (!call.#current(stream)) return;
    call.replay.drop(); // committed to this stream: nothing to replay any more
    if (call.response.start(headers) !== "trailers-only") return;
    call.finish(Number(headers[h.grpcStatus]), String(headers[h.grpcMessage] ?? ""));
    call.res.end();
  };

  static readonly upstreamData = (call: CallToUpstream, chunk: Buffer, stream: UpstreamStream) => {
    if (!call.#current(stream) || call.response.data(chunk)) return;
    stream.pause();
    call.res.once("drain", () => stream.resume());
  };

  static readonly upstreamTrailers = (
    call: CallToUpstream,
    trailers: IncomingHttpHeaders,
    stream: UpstreamStream,
  ): void => {
    if (call.#current(stream)) call.#trailers = trailers;
  };

  static readonly upstreamEnd = (call: CallToUpstream, _: unknown, stream: UpstreamStream) => {
    if (call.#current(stream)) call.#onUpstreamEnd(stream);
  };

  static readonly upstreamError = (call: CallToUpstream, error: Error, stream: UpstreamStream) => {
    if (call.#current(stream)) call.#upstreamFailed(stream, error);
  };

  static readonly upstreamClose = (call: CallToUpstream, _: unknown, stream: UpstreamStream) => {
    if (!call.#current(stream)) return;
    if (call.#trailers && stream.rstCode === http2.constants.NGHTTP2_NO_ERROR) {
      call.#onUpstreamEnd(stream);
    } else call.#upstreamFailed(stream, undefined);
  };

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

const upstreamResponse = callListener(CallToUpstream.upstreamResponse);
const upstreamData = callListener(CallToUpstream.upstreamData);
const upstreamTrailers = callListener(CallToUpstream.upstreamTrailers);
const upstreamEnd = callListener(CallToUpstream.upstreamEnd);
const upstreamError = callListener(CallToUpstream.upstreamError);
const upstreamClose = callListener(CallToUpstream.upstreamClose);
