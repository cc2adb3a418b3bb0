// How a gRPC-Web call ends: its answer's state (request, response, timers, retries, the
// current upstream stream) and the endings every step shares: a gateway-made status, a
// finished answer with its log line, the browser leaving, a fault in a handler.

import type { IncomingMessage, ServerResponse } from "node:http";
import http2 from "node:http2";
import { traceIdOf } from "@teams/server/trace-context";
import { type CallRecord, isCallLogged, logCall } from "./access-log.ts";
import type { CallObserver, CallWatch } from "./call-observer.ts";
import { ReplayBuffer, RetryBudget } from "./call-retry.ts";
import { CallTimers } from "./call-timers.ts";
import { wantsTextResponse } from "./content-type.ts";
import * as h from "./headers.ts";
import { LingeringClose } from "./lingering-close.ts";
import type { Logger } from "./logger.ts";
import { writeTrailersOnlyHead } from "./plain-answers.ts";
import { answerFault } from "./request-fault.ts";
import { ResponseRelay } from "./response-relay.ts";
import { Code, type GatewayError } from "./status.ts";
import { encodeGrpcMessage } from "./trailer.ts";
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
  /** Metrics and tracing (call-observer.ts); none when both are off. */
  readonly observe?: CallObserver;
}

/** `"close"`: end the connection after the answer at once (a stalled body: nothing to wait for). */
export type CloseConnection = boolean | "close";

export abstract class CallEnding {
  protected readonly req: IncomingMessage;
  protected readonly res: ServerResponse;
  protected readonly context: CallContext;
  protected readonly textOut: boolean;
  protected readonly started = performance.now();
  protected readonly timers = new CallTimers();
  protected readonly retry: RetryBudget;
  protected readonly linger = new LingeringClose();
  protected readonly replay: ReplayBuffer;
  protected readonly response: ResponseRelay;
  protected stream: UpstreamStream | undefined;
  /** The endpoint of the latest attempt's stream. */
  protected endpoint: string | undefined;
  protected finished = false;
  protected bytesIn = 0;
  /** Request messages read so far (the handler knows its request relay). */
  protected get messagesIn(): number {
    return 0;
  }
  /** What metrics and tracing want to know of this call. */
  protected readonly watch: CallWatch | undefined;

  constructor(req: IncomingMessage, res: ServerResponse, context: CallContext) {
    this.req = req;
    this.res = res;
    this.context = context;
    this.textOut = wantsTextResponse(req.headers.accept);
    this.replay = new ReplayBuffer(context.maxMessageBytes);
    this.retry = new RetryBudget(context.retryWindowMs, this.started);
    const http1 = req.httpVersionMajor === 1;
    this.response = new ResponseRelay(res, http1, this.textOut, context.corsHeaders);
    this.watch = context.observe?.(req);
  }

  /** An event handler that ends this call (INTERNAL), never the process, if it throws. */
  protected guarded<A extends unknown[]>(handler: (...args: A) => void): (...args: A) => void {
    return (...args) => {
      try {
        handler(...args);
      } catch (error) {
        this.faulted(error);
      }
    };
  }

  /** A handler threw: the call ends INTERNAL (request-fault.ts), the process keeps serving. */
  protected faulted(error: unknown): void {
    this.cancelUpstream();
    this.finished = true;
    this.timers.clear();
    answerFault(this.req, this.res, error, this.context.logger, true);
  }

  /**
   * Ends the call with a gateway-made status: as headers (trailers-only) if nothing was
   * sent yet, else as the trailer frame, or by aborting inside a large frame.
   * `closeConnection` is for bad requests, whose unread body must not be taken as the
   * next request: the body is read and discarded first (a lingering close), unless "close".
   */
  protected fail(error: GatewayError, closeConnection: CloseConnection = false): void {
    if (this.finished) return;
    this.cancelUpstream();
    if (!this.res.headersSent) {
      const cors = this.context.corsHeaders([]);
      const close = closeConnection !== false;
      writeTrailersOnlyHead(this.res, error.code, error.message, this.textOut, cors, close);
    } else if (this.response.atBoundary) {
      const message = encodeGrpcMessage(error.message);
      this.response.writeTrailers({ [h.grpcStatus]: error.code, [h.grpcMessage]: message });
    } else {
      // Part of a message is out: a trailer now would be read as the rest of it. Abort the
      // answer instead (as Envoy resets the downstream stream); the runtime reports an error.
      this.finish(error.code, `${error.message} (answer aborted in the middle of a message)`);
      this.res.destroy();
      return;
    }
    this.finish(error.code, error.message);
    if (closeConnection === true && LingeringClose.applies(this.req)) {
      this.linger.start(this.req, this.res, 2 * this.context.maxMessageBytes + 65_536);
    } else this.res.end();
  }

  protected onBrowserGone(): void {
    if (this.finished) return;
    this.cancelUpstream();
    this.finish(Code.CANCELLED, "the browser closed the connection before the call finished");
  }

  protected cancelUpstream(): void {
    const stream = this.stream;
    if (!stream || stream.destroyed) return;
    if (!stream.closed) stream.close(http2.constants.NGHTTP2_CANCEL);
    // A stream paused for the browser's backpressure keeps its unread data, never
    // ends and so never closes: it would stay open in the session for good (found by
    // the soak). Reading the rest (ignored, the call is over) lets it close.
    stream.resume();
  }

  protected finish(grpcStatus: number, grpcMessage: string): void {
    this.finished = true;
    this.replay.drop();
    this.timers.clear();
    const logged = isCallLogged(this.context.logger, grpcStatus);
    if (!logged && !this.watch) return; // nobody reads the record: not built (the bench's case)
    const record: CallRecord = {
      path: this.req.url ?? "/",
      grpcStatus,
      ...(grpcMessage ? { grpcMessage } : {}),
      durationMs: performance.now() - this.started,
      bytesIn: this.bytesIn,
      bytesOut: this.response.bytesOut,
      messagesIn: this.messagesIn,
      messagesOut: this.response.messagesOut,
      ...(this.retry.retries > 0 ? { retries: this.retry.retries } : {}),
      mode: this.textOut ? "text" : "binary",
      ...(this.req.headers.origin ? { origin: this.req.headers.origin } : {}),
      ...(this.endpoint ? { upstream: this.endpoint } : {}),
      ...traceIdOf(this.req.headers.traceparent),
    };
    if (logged) logCall(this.context.logger, record);
    this.watch?.finished(record);
  }
}
