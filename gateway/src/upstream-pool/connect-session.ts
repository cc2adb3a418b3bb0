// One HTTP/2 connection to one endpoint: TLS or h2c, flow-control windows sized so a
// stalled stream pins only its own window, and keepalive pings while calls are open.

import http2, { type ClientHttp2Session } from "node:http2";
import type { Logger } from "../logger.ts";

export interface UpstreamTlsOptions {
  /** PEM CA certificate(s) to trust instead of Node's bundled roots (a private CA). */
  readonly ca?: string | Buffer;
  /** Name to verify the certificate for (and send as SNI) when it is not the address's host. */
  readonly servername?: string;
}

export interface SessionOptions {
  readonly logger: Logger;
  /**
   * How often to ping while calls are open. gRPC C-core servers answer pings more
   * often than every 5 minutes without data with GOAWAY too_many_pings, so the
   * default stays at 5 minutes.
   */
  readonly keepaliveIntervalMs: number;
  /** How long a ping may go unanswered before the session is dropped. */
  readonly keepaliveTimeoutMs: number;
  readonly tls: UpstreamTlsOptions | undefined;
  /** What one stream may receive before it is read (bounds what a stalled reader pins). */
  readonly streamWindowBytes: number;
  /** Most streams the pool puts on one session; the connection window covers them all. */
  readonly maxStreamsPerSession: number;
  /** Streams open on `session`, so pings go out only while calls are open. */
  readonly openStreams: (session: ClientHttp2Session) => number;
}

/**
 * Per-stream window: 64 KiB, the most a browser that stops reading pins in the gateway
 * (2,000 stalled streams: 128 MiB at most). Envoy's default initial_stream_window_size is
 * 256 MiB; ours was 256 KiB. On loopback a single fast reader loses nothing measurable
 * at 64 KiB (gateway/README.md, "Stalled readers").
 */
export const defaultStreamWindowBytes = 64 * 1024;
export const defaultMaxStreamsPerSession = 500;
const maxWindowBytes = 2 ** 31 - 1;

/** Connects to `address` (host:port); `servername` defaults to the TLS option's. */
export function connectSession(address: string, options: SessionOptions): ClientHttp2Session {
  const tls = options.tls;
  const connectionWindow = Math.min(
    maxWindowBytes,
    options.streamWindowBytes * options.maxStreamsPerSession,
  );
  const common = {
    settings: { initialWindowSize: options.streamWindowBytes },
    // Node assumes 100 until the server says otherwise, and a server that sets no limit
    // (grpc-js) never says: the pool's own cap applies then.
    peerMaxConcurrentStreams: options.maxStreamsPerSession,
    // Node refuses new streams (ENHANCE_YOUR_CALM) once a session buffers more than this;
    // stalled streams legitimately hold up to their window each.
    maxSessionMemory: Math.ceil(connectionWindow / 2 ** 20) + 16,
  };
  const session = tls
    ? http2.connect(`https://${address}`, {
        ...common,
        ...(tls.ca ? { ca: tls.ca } : {}),
        ...(tls.servername ? { servername: tls.servername } : {}),
      })
    : http2.connect(`http://${address}`, common);
  session.once("connect", () => session.setLocalWindowSize(connectionWindow));
  const keepalive = setInterval(() => ping(session, address, options), options.keepaliveIntervalMs);
  keepalive.unref();
  session.once("close", () => clearInterval(keepalive));
  // An idle session must not keep the process alive; open calls ref it again.
  session.unref();
  return session;
}

function ping(session: ClientHttp2Session, address: string, options: SessionOptions): void {
  if (session.closed || session.destroyed || options.openStreams(session) === 0) return;
  const timer = setTimeout(() => {
    options.logger.warn("upstream keepalive ping unanswered; dropping the session", {
      upstream: address,
      timeoutMs: options.keepaliveTimeoutMs,
    });
    // ETIMEDOUT so the calls on it end UNAVAILABLE: the client may retry.
    const error = Object.assign(
      new Error(`keepalive ping unanswered for ${options.keepaliveTimeoutMs} ms`),
      { code: "ETIMEDOUT" },
    );
    session.destroy(error);
  }, options.keepaliveTimeoutMs);
  timer.unref();
  const sent = session.ping((error) => {
    if (!error) clearTimeout(timer);
  });
  if (!sent) clearTimeout(timer);
}
