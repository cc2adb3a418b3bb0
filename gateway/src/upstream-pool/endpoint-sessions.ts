// The HTTP/2 sessions to one endpoint. A call goes on the first session with room for
// it: under the server's SETTINGS_MAX_CONCURRENT_STREAMS and with enough reset budget
// left that even if every stream on it were cancelled at once, the server's rapid-reset
// guard would not answer GOAWAY. Otherwise a new session opens; old ones keep serving
// their calls and close once they are retired (GOAWAY, error) and empty.

import type { OutgoingHttpHeaders } from "node:http";
import type { ClientHttp2Session, ClientHttp2Stream, IncomingHttpHeaders } from "node:http2";
import { connectSession, type SessionOptions } from "./connect-session.ts";
import { ResetBudget } from "./reset-budget.ts";

/** Resets kept in reserve on every session, beyond one per open stream. */
export const resetMargin = 100;
// Until the server's SETTINGS arrive, assume the RFC's recommended minimum.
const assumedMaxConcurrentStreams = 100;
// node:http2's defaults, spelled out: it copies the options of every request and sets what
// is missing, which costs several µs a call when they are not there already (bench/README.md).
const requestOptions = Object.freeze({
  endStream: false,
  weight: 16,
  parent: 0,
  exclusive: false,
  silent: false,
});

/** Where the bytes the servers sent on open streams sit until the gateway reads them. */
export interface UnreadBytes {
  /** Bytes received on open streams that the gateway has not yet read (relayed to a browser). */
  readonly unreadBytes: number;
  /** The most held for one stream: never more than the stream window. */
  readonly mostUnreadBytes: number;
  /** Streams whose window is used up: their server can send nothing more until they are read. */
  readonly blockedStreams: number;
}

export interface TrackedSession {
  readonly session: ClientHttp2Session;
  readonly budget: ResetBudget;
  open: number;
  retired: boolean;
}

/** Told of the gRPC status of each answer (in its headers if trailers-only, else its trailers). */
export interface StreamStatusWatcher {
  grpcStatus(status: string | string[] | undefined, state: PoolStreamState): void;
}

/** What the pool knows of one of its streams, kept on the stream for the shared listeners. */
export class PoolStreamState {
  /** The answer's headers arrived. */
  answered = false;
  /** Its gRPC status arrived (trailers, or a trailers-only answer). */
  ended = false;
  /** Ended by STREAM_IDLE_TIMEOUT_MS (endpoint.ts). */
  idled = false;

  constructor(
    readonly sessions: EndpointSessions,
    readonly tracked: TrackedSession,
    readonly watcher: StreamStatusWatcher | undefined,
  ) {}
}

const poolState = Symbol("pool stream state");
export type PoolStream = ClientHttp2Stream & { [poolState]?: PoolStreamState };

/** The pool's state of a stream it opened. */
export function poolStateOf(stream: PoolStream): PoolStreamState | undefined {
  return stream[poolState];
}

function streamResponse(this: PoolStream, answer: IncomingHttpHeaders): void {
  const state = this[poolState];
  if (!state) return;
  state.answered = true;
  const status = answer["grpc-status"];
  if (status === undefined) return;
  state.ended = true; // trailers-only
  state.watcher?.grpcStatus(status, state);
}

function streamTrailers(this: PoolStream, trailers: IncomingHttpHeaders): void {
  const state = this[poolState];
  if (!state) return;
  state.ended = true;
  state.watcher?.grpcStatus(trailers["grpc-status"], state);
}

function streamClose(this: PoolStream): void {
  const state = this[poolState];
  state?.sessions.streamClosed(this, state);
}

export interface SessionEvents {
  /** The connection failed before it was up (refused, unreachable, TLS). */
  connectFailed(error: Error): void;
  connected(): void;
}

export class EndpointSessions {
  readonly address: string;
  readonly #options: Omit<SessionOptions, "openStreams">;
  readonly #events: SessionEvents;
  readonly #sessions = new Set<TrackedSession>();
  readonly #streams = new Set<ClientHttp2Stream>();
  #openStreams = 0;
  sessionsOpened = 0;

  constructor(
    address: string,
    options: Omit<SessionOptions, "openStreams">,
    events: SessionEvents,
  ) {
    this.address = address;
    this.#options = options;
    this.#events = events;
  }

  get openStreams(): number {
    return this.#openStreams;
  }

  get liveSessions(): number {
    return this.#sessions.size;
  }

  /**
   * Starts a call on a session with room for it (connecting one if none has); `watcher` is
   * told the gRPC status its answer carries.
   */
  request(headers: OutgoingHttpHeaders, watcher?: StreamStatusWatcher): PoolStream {
    const tracked = this.#pick();
    const scheme = this.#options.tls ? "https" : "http";
    // node:http2 copies the headers itself: a copy of our own only to change the scheme.
    const sent = headers[":scheme"] === scheme ? headers : { ...headers, ":scheme": scheme };
    const stream: PoolStream = tracked.session.request(sent, requestOptions);
    tracked.open += 1;
    this.#openStreams += 1;
    this.#streams.add(stream);
    stream[poolState] = new PoolStreamState(this, tracked, watcher);
    stream.on("response", streamResponse);
    stream.on("trailers", streamTrailers);
    stream.on("close", streamClose);
    return stream;
  }

  /** One of this endpoint's streams closed (a listener shared by every stream calls it). */
  streamClosed(stream: PoolStream, state: PoolStreamState): void {
    const tracked = state.tracked;
    this.#streams.delete(stream);
    tracked.open -= 1;
    this.#openStreams -= 1;
    // A reset either way, or a stream cut before its trailers (the gateway cancelled it).
    if (stream.rstCode !== 0 || !state.ended) tracked.budget.spend();
    if (tracked.retired && tracked.open === 0) tracked.session.close();
  }

  /** What the open streams hold unread (a stalled browser pins at most one window). */
  unread(): UnreadBytes {
    let unreadBytes = 0;
    let mostUnreadBytes = 0;
    let blockedStreams = 0;
    for (const stream of this.#streams) {
      // Received, not yet read: in the stream's read buffer, or still in Node's native one
      // (the window not given back yet). HTTP/2 flow control bounds both.
      // (state is empty until the stream has an id.)
      const window = stream.destroyed ? undefined : stream.state.localWindowSize;
      const unconsumed = typeof window === "number" ? this.#options.streamWindowBytes - window : 0;
      const held = Math.max(stream.readableLength, unconsumed);
      unreadBytes += held;
      mostUnreadBytes = Math.max(mostUnreadBytes, held);
      if (window === 0) blockedStreams += 1;
    }
    return { unreadBytes, mostUnreadBytes, blockedStreams };
  }

  /** New calls go elsewhere; calls in progress finish, then the sessions close. */
  retireAll(): void {
    for (const tracked of this.#sessions) this.#retire(tracked);
  }

  close(): void {
    for (const tracked of this.#sessions) tracked.session.destroy();
    this.#sessions.clear();
  }

  #pick(): TrackedSession {
    for (const tracked of this.#sessions) {
      if (tracked.retired || tracked.session.closed || tracked.session.destroyed) continue;
      if (tracked.open >= this.#capacity(tracked.session)) continue;
      if (tracked.budget.remaining() - tracked.open - 1 < resetMargin) continue;
      return tracked;
    }
    return this.#connect();
  }

  #capacity(session: ClientHttp2Session): number {
    const advertised = session.connecting
      ? assumedMaxConcurrentStreams
      : (session.remoteSettings.maxConcurrentStreams ?? assumedMaxConcurrentStreams);
    return Math.min(advertised, this.#options.maxStreamsPerSession);
  }

  #connect(): TrackedSession {
    const session = connectSession(this.address, {
      ...this.#options,
      openStreams: (s) => (s === session ? tracked.open : 0),
    });
    const tracked: TrackedSession = { session, budget: new ResetBudget(), open: 0, retired: false };
    this.sessionsOpened += 1;
    this.#sessions.add(tracked);
    let up = false;
    session.once("connect", () => {
      up = true;
      this.#events.connected();
    });
    session.on("error", (error: Error) => {
      this.#retire(tracked);
      if (!up) this.#events.connectFailed(error);
      this.#options.logger.warn("upstream session error", {
        upstream: this.address,
        error: error.message,
      });
    });
    // New calls go to a fresh session; calls already on this one finish there.
    session.on("goaway", (errorCode: number) => {
      this.#retire(tracked);
      this.#options.logger.info("upstream sent GOAWAY", { upstream: this.address, errorCode });
    });
    session.once("close", () => {
      tracked.retired = true;
      this.#sessions.delete(tracked);
    });
    return tracked;
  }

  #retire(tracked: TrackedSession): void {
    tracked.retired = true;
    if (tracked.open === 0 && !tracked.session.closed) tracked.session.close();
  }
}
