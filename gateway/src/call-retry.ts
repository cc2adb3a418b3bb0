// Retry and replay: which failed attempts of a call may run again on a new stream, after
// how long, with what the browser sent so far; and the status of an attempt that failed.
import http2 from "node:http2";
import { outgoingHeaderBytes, upstreamHeaderRefusalBytes } from "./header-limits.ts";
import {
  Code,
  codeFromRstCode,
  fromUpstreamError,
  GatewayError,
  isNeverSent,
  isUpstreamTlsFailure,
} from "./status.ts";
import type { UpstreamStream } from "./upstream.ts";

// Backoff: doubles from the first delay up to the cap, within the call's retry window.
const firstRetryDelayMs = 10;
const maxRetryDelayMs = 250;

/** Counts a call's retries and says whether another fits in its window, and after how long. */
export class RetryBudget {
  readonly #started: number;
  readonly #windowMs: number;
  retries = 0;

  /** `started`: when the call started (performance.now()); the window counts from it. */
  constructor(windowMs: number, started = performance.now()) {
    this.#windowMs = windowMs;
    this.#started = started;
  }

  /** The wait before the next attempt, counted as a retry; undefined when time is up. */
  next(): number | undefined {
    const delay = Math.min(maxRetryDelayMs, firstRetryDelayMs * 2 ** this.retries);
    if (performance.now() - this.#started + delay > this.#windowMs) return undefined;
    this.retries += 1;
    return delay;
  }
}

/**
 * What the browser sent so far, kept to replay on a retry until an answer starts: one
 * message (the only kind gRPC-Web sends) and its prefix at most; beyond that, no retry.
 */
export class ReplayBuffer {
  #chunks: Buffer[] | undefined = [];
  #bytes = 0;
  readonly #limit: number;

  constructor(maxMessageBytes: number) {
    this.#limit = maxMessageBytes + 5;
  }

  /** Undefined once the call can no longer be replayed whole. */
  get chunks(): readonly Buffer[] | undefined {
    return this.#chunks;
  }

  keep(bytes: Buffer): void {
    if (this.#chunks === undefined) return;
    this.#bytes += bytes.length;
    if (this.#bytes > this.#limit) this.#chunks = undefined;
    else this.#chunks.push(bytes);
  }

  /** The answer started (or the call ended): nothing will be replayed. */
  drop(): void {
    this.#chunks = undefined;
  }
}

/** A REFUSED_STREAM for a call with large headers is a refusal for their size: the same every time. */
export function refusedForSize(headers: Readonly<Record<string, unknown>>): boolean {
  return outgoingHeaderBytes(headers) > upstreamHeaderRefusalBytes;
}

/**
 * Whether a failed attempt is one the server never saw, so it may run again: the stream
 * was refused (REFUSED_STREAM, or above a GOAWAY's last stream id) or its HEADERS never
 * left (the session failed to connect). A call that may have reached the server is not.
 */
export function isRetriable(
  stream: UpstreamStream,
  error: Error | undefined,
  headers: Readonly<Record<string, unknown>>,
): boolean {
  // A failed TLS handshake never sent the call, but it fails the same way every time.
  if (isUpstreamTlsFailure(error)) return false;
  if (stream.rstCode === http2.constants.NGHTTP2_REFUSED_STREAM) return !refusedForSize(headers);
  return stream.id === undefined && (error === undefined || isNeverSent(error));
}

/** The status of an attempt whose stream failed (reset, dropped, refused, never connected). */
export function streamFailure(
  stream: UpstreamStream,
  error: Error | undefined,
  address: string,
  headers: Readonly<Record<string, unknown>>,
): GatewayError {
  // Refused streams come with a session going away: the refusal, not the session, is the news.
  if (stream.rstCode === http2.constants.NGHTTP2_REFUSED_STREAM) {
    return refusedForSize(headers)
      ? new GatewayError(
          Code.RESOURCE_EXHAUSTED,
          `upstream ${address} refused the call (REFUSED_STREAM) with ${outgoingHeaderBytes(headers)} bytes of headers, over its limit; send less metadata`,
        )
      : new GatewayError(
          Code.UNAVAILABLE,
          `upstream ${address} refused the call (REFUSED_STREAM): it is shutting down or busy; the call never started, retry it`,
        );
  }
  // A stream cancelled because its session could not connect carries the socket error
  // (ECONNREFUSED, ...): that is the answer, even before the session is marked destroyed.
  if (error && isNeverSent(error)) return fromUpstreamError(error, address);
  const session = stream.session;
  if (!session || session.destroyed || session.closed) {
    const lost = Object.assign(new Error("connection lost during the call"), {
      code: "ECONNRESET",
    });
    return fromUpstreamError(error ?? lost, address);
  }
  const rstCode = stream.rstCode ?? http2.constants.NGHTTP2_INTERNAL_ERROR;
  return new GatewayError(
    codeFromRstCode(rstCode),
    `upstream ${address} reset the call (HTTP/2 error code ${rstCode})`,
  );
}
