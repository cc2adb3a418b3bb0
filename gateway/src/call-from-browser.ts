// The browser half of one gRPC-Web call: the browser's request read (text decoded, frames
// checked, backpressure), its headers turned into the upstream's (deadline included), the
// body's idle bound, and the browser leaving. What is read goes to the current upstream
// stream, kept for a replay until the call is committed to one (call-to-upstream.ts).

import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import { traceIdOf } from "@teams/server/trace-context";
import { type CallContext, CallEnding } from "./call-ending.ts";
import { type CarriesCall, callListener, callOf, type GuardedCall } from "./call-listener.ts";
import type { RequestFormat } from "./content-type.ts";
import * as h from "./headers.ts";
import { toUpstreamHeaders } from "./metadata.ts";
import { RequestRelay } from "./request-relay.ts";
import { fromUpstreamError, type GatewayError } from "./status.ts";

export abstract class CallFromBrowser extends CallEnding implements GuardedCall {
  readonly #request: RequestRelay;
  /** The upstream call's headers, from the browser's. */
  protected upstreamHeaders: OutgoingHttpHeaders = {};
  /** The browser's body has ended (and was whole). */
  protected requestEnded = false;

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

  /** Opens the upstream stream (again, on a retry) and replays what the browser sent. */
  protected abstract attempt(): void;

  /** Reads the browser's request and starts the first attempt upstream. */
  start(): void {
    (this.res as CarriesCall<CallFromBrowser>)[callOf] = this;
    this.res.on("close", browserClosed);
    try {
      this.upstreamHeaders = toUpstreamHeaders(
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
        if (timeout !== undefined) this.upstreamHeaders[h.grpcTimeout] = timeout;
      }
      Object.assign(this.upstreamHeaders, this.watch?.upstreamHeaders);
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
    this.attempt();
  }

  /** Runs a shared listener's `handle` for this call; a throw ends the call, not the process. */
  guard<E, T>(handle: (call: this, arg: T, emitter: E) => void, arg: T, emitter: E): void {
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

  // Browser -> upstream, with backpressure.
  #relayRequest(): void {
    (this.req as CarriesCall<CallFromBrowser>)[callOf] = this;
    this.timers.armBodyIdle(this.context.bodyIdleTimeoutMs, this);
    this.req.on("data", requestData);
    this.req.on("end", requestEnd);
  }

  static readonly requestData = (call: CallFromBrowser, chunk: Buffer): void => {
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

  static readonly requestEnd = (call: CallFromBrowser): void => {
    call.timers.bodyEnded();
    if (call.finished) return;
    try {
      call.#request.end();
    } catch (error) {
      call.fail(fromUpstreamError(error, call.context.upstream.address), true);
      return;
    }
    call.requestEnded = true;
    call.stream?.end();
  };

  static readonly browserClosed = (call: CallFromBrowser): void => call.onBrowserGone();
}

const requestData = callListener(CallFromBrowser.requestData);
const requestEnd = callListener(CallFromBrowser.requestEnd);
const browserClosed = callListener(CallFromBrowser.browserClosed);
