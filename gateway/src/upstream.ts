// What a gRPC-Web call needs from its upstream: a new HTTP/2 stream for each attempt. The
// upstream decides which connection (session) carries it; the call never sees sessions
// except to tell a dropped connection from a reset.
import type { OutgoingHttpHeaders } from "node:http";

/** The part of node:http2's ClientHttp2Stream a call uses (so tests can fake it in memory). */
export interface UpstreamStream {
  /** Set once the stream's HEADERS went out; undefined if its session never connected. */
  readonly id?: number | undefined;
  /** RST_STREAM code once the stream closed. */
  readonly rstCode?: number | undefined;
  /** The connection carrying it, to tell a dropped connection from a reset. */
  readonly session?: { readonly destroyed: boolean; readonly closed: boolean } | undefined;
  /** The endpoint (host:port) the upstream chose for it. */
  readonly endpoint?: string | undefined;
  readonly destroyed: boolean;
  readonly closed: boolean;
  write(chunk: Buffer): boolean;
  end(): void;
  close(code?: number): void;
  pause(): void;
  resume(): void;
  // biome-ignore lint/suspicious/noExplicitAny: listeners of every event shape, as EventEmitter types them
  on(event: string, listener: (...args: any[]) => void): unknown;
  // biome-ignore lint/suspicious/noExplicitAny: as above
  once(event: string, listener: (...args: any[]) => void): unknown;
}

export interface Upstream {
  /** host:port (or a name for several), for messages. */
  readonly address: string;
  /**
   * Starts a call: a stream on whichever connection the upstream chooses. May throw a
   * session-gone error (nothing was sent), which the call retries.
   */
  openStream(headers: OutgoingHttpHeaders): UpstreamStream;
}
