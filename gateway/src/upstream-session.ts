// One long-lived, multiplexed HTTP/2 session to the gRPC server, replaced when it
// goes away (GOAWAY, a drop, or keepalive pings left unanswered).

import type { OutgoingHttpHeaders } from "node:http";
import http2, { type ClientHttp2Session, type ClientHttp2Stream } from "node:http2";
import type { Logger } from "./logger.ts";
import type { Upstream } from "./upstream.ts";

export interface UpstreamOptions {
  /** host:port of the gRPC server. */
  readonly address: string;
  readonly logger: Logger;
  /**
   * How often to ping while calls are open. gRPC C-core servers answer pings more
   * often than every 5 minutes without data with GOAWAY too_many_pings, so the
   * default stays at 5 minutes.
   */
  readonly keepaliveIntervalMs?: number;
  /** How long a ping may go unanswered before the session is dropped. */
  readonly keepaliveTimeoutMs?: number;
  /** Connect with TLS (https://); plaintext HTTP/2 (h2c) without. */
  readonly tls?: UpstreamTlsOptions | undefined;
}

export interface UpstreamTlsOptions {
  /** PEM CA certificate(s) to trust instead of Node's bundled roots (a private CA). */
  readonly ca?: string | Buffer;
  /** Name to verify the certificate for (and send as SNI) when it is not the address's host. */
  readonly servername?: string;
}

export interface UpstreamStats {
  /** Sessions opened since start (1 while the first one lasts). */
  readonly sessionsOpened: number;
  /** Streams (calls) still open upstream. */
  readonly openStreams: number;
}

/** One shared HTTP/2 session to one server: an Upstream for gRPC-Web calls. */
export class UpstreamSession implements Upstream {
  readonly address: string;
  readonly #logger: Logger;
  readonly #keepaliveIntervalMs: number;
  readonly #keepaliveTimeoutMs: number;
  readonly #tls: UpstreamTlsOptions | undefined;
  #current: ClientHttp2Session | undefined;
  readonly #sessions = new Set<ClientHttp2Session>();
  readonly #streams = new Set<ClientHttp2Stream>();
  #sessionsOpened = 0;

  constructor(options: UpstreamOptions) {
    this.address = options.address;
    this.#tls = options.tls;
    this.#logger = options.logger;
    this.#keepaliveIntervalMs = options.keepaliveIntervalMs ?? 300_000;
    this.#keepaliveTimeoutMs = options.keepaliveTimeoutMs ?? 20_000;
  }

  /** Starts a call on the shared session (connecting first if there is none). */
  openStream(headers: OutgoingHttpHeaders): ClientHttp2Stream {
    const scheme = this.#tls ? "https" : "http";
    const stream = this.#session().request({ ...headers, ":scheme": scheme }, { endStream: false });
    this.#streams.add(stream);
    stream.once("close", () => this.#streams.delete(stream));
    return stream;
  }

  stats(): UpstreamStats {
    return { sessionsOpened: this.#sessionsOpened, openStreams: this.#streams.size };
  }

  /** Drops every session and the calls on them. */
  close(): void {
    for (const session of this.#sessions) session.destroy();
    this.#current = undefined;
  }

  #session(): ClientHttp2Session {
    const current = this.#current;
    if (current && !current.closed && !current.destroyed) return current;
    return this.#connect();
  }

  #connect(): ClientHttp2Session {
    const tls = this.#tls;
    const session = tls
      ? http2.connect(`https://${this.address}`, {
          ...(tls.ca ? { ca: tls.ca } : {}),
          ...(tls.servername ? { servername: tls.servername } : {}),
        })
      : http2.connect(`http://${this.address}`);
    this.#sessionsOpened += 1;
    this.#current = session;
    this.#sessions.add(session);
    const retire = (): void => this.#retire(session);
    session.on("error", (error: Error) => {
      retire();
      this.#logger.warn("upstream session error", { upstream: this.address, error: error.message });
    });
    // New calls go to a fresh session; calls already on this one finish there.
    session.on("goaway", (errorCode: number) => {
      retire();
      this.#logger.info("upstream sent GOAWAY", { upstream: this.address, errorCode });
    });
    const keepalive = setInterval(() => this.#ping(session), this.#keepaliveIntervalMs);
    keepalive.unref();
    session.once("close", () => {
      clearInterval(keepalive);
      retire();
      this.#sessions.delete(session);
    });
    // An idle session must not keep the process alive; open calls ref it again.
    session.unref();
    return session;
  }

  #ping(session: ClientHttp2Session): void {
    if (session.closed || session.destroyed || this.#openStreamsOn(session) === 0) return;
    const timer = setTimeout(() => {
      this.#logger.warn("upstream keepalive ping unanswered; dropping the session", {
        upstream: this.address,
        timeoutMs: this.#keepaliveTimeoutMs,
      });
      this.#retire(session);
      // ETIMEDOUT so the calls on it end UNAVAILABLE: the client may retry.
      const error = Object.assign(
        new Error(`keepalive ping unanswered for ${this.#keepaliveTimeoutMs} ms`),
        { code: "ETIMEDOUT" },
      );
      session.destroy(error);
    }, this.#keepaliveTimeoutMs);
    timer.unref();
    const sent = session.ping((error) => {
      if (!error) clearTimeout(timer);
    });
    if (!sent) clearTimeout(timer);
  }

  #retire(session: ClientHttp2Session): void {
    if (this.#current === session) this.#current = undefined;
  }

  #openStreamsOn(session: ClientHttp2Session): number {
    let count = 0;
    for (const stream of this.#streams) if (stream.session === session) count += 1;
    return count;
  }
}
