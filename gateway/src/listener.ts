// The listening server: plain HTTP/1.1, or HTTPS speaking HTTP/2 (ALPN h2) with an
// HTTP/1.1 fallback. One request handler serves both through node:http2's
// compatibility API, so a page's many streaming calls share one connection
// instead of queueing behind the browser's six HTTP/1.1 connections per origin.
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import http2, {
  type Http2ServerRequest,
  type Http2ServerResponse,
  type Http2Session,
  type Http2Stream,
} from "node:http2";
import net from "node:net";
import type { TLSSocket } from "node:tls";
import { hardHeaderListBytes } from "./header-limits.ts";

/** PEM certificate (chain, leaf first) and private key. */
export interface TlsCredentials {
  readonly cert: string | Buffer;
  readonly key: string | Buffer;
}

export interface ListenerOptions {
  /** Serve HTTPS (HTTP/2 and HTTP/1.1) with these; plain HTTP/1.1 without. */
  readonly tls?: TlsCredentials | undefined;
  /** Strict-Transport-Security max-age on HTTPS answers. Default one year. */
  readonly hstsMaxAgeSeconds?: number | undefined;
  /** How often Node checks the HTTP/1.1 headers and request timeouts. */
  readonly connectionsCheckingInterval?: number | undefined;
  /** An HTTP/2 connection with no open stream for this long gets GOAWAY. Default 60 s. */
  readonly http2IdleTimeoutMs?: number | undefined;
}

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface Listener {
  /** listen(), address(), close(), and events such as clientError (HTTP/1.1). */
  readonly server: net.Server;
  readonly secure: boolean;
  /** Bounds on how long an HTTP/1.1 client may take to send headers and the whole request. */
  setRequestTimeouts(headersTimeoutMs: number, requestTimeoutMs: number): void;
  /**
   * Stops accepting connections and sends HTTP/2 connections GOAWAY (their open calls
   * finish). Unlike node:http's close(), idle kept-alive HTTP/1.1 connections stay open:
   * closing them would reset a request already on its way.
   */
  stopAccepting(): void;
  /** Cuts every connection now, calls in progress included. */
  closeAllConnections(): void;
}

export const defaultHstsMaxAgeSeconds = 31_536_000;
export const defaultHttp2IdleTimeoutMs = 60_000;

export function createListener(options: ListenerOptions, handler: RequestHandler): Listener {
  if (!options.tls) return plainListener(options, handler);
  return secureListener(options.tls, options, handler);
}

/** HTTP/1.1 only: browsers speak HTTP/2 only over TLS. */
/** Sets node:http's header and whole-request timeouts (HTTP/1.1) on `server`. */
function requestTimeoutSetter(server: {
  headersTimeout: number;
  requestTimeout: number;
}): Listener["setRequestTimeouts"] {
  return (headersTimeoutMs, requestTimeoutMs) => {
    server.headersTimeout = headersTimeoutMs;
    server.requestTimeout = requestTimeoutMs;
  };
}

function plainListener(options: ListenerOptions, handler: RequestHandler): Listener {
  const server = http.createServer(
    {
      // gateway.ts answers a missing Host itself, with a message (Node's own 400 has no body).
      requireHostHeader: false,
      ...(options.connectionsCheckingInterval
        ? { connectionsCheckingInterval: options.connectionsCheckingInterval }
        : {}),
    },
    handler,
  );
  return {
    server,
    secure: false,
    setRequestTimeouts: requestTimeoutSetter(server),
    stopAccepting: () => stopListening(server),
    closeAllConnections: () => server.closeAllConnections(),
  };
}

function secureListener(
  tls: TlsCredentials,
  options: ListenerOptions,
  handler: RequestHandler,
): Listener {
  const hsts = `max-age=${options.hstsMaxAgeSeconds ?? defaultHstsMaxAgeSeconds}`;
  // HTTP/1.1 clients get node:http's own request/response objects, HTTP/2 ones the
  // compatibility objects. The handlers use only what both offer (headers, url,
  // method, streaming read/write, writeHead, setHeader, 'close'/'drain'), and send
  // connection-specific headers only on HTTP/1.1 (see connectionCloseHeader).
  const server = http2.createSecureServer(
    {
      cert: tls.cert,
      key: tls.key,
      allowHTTP1: true,
      // nghttp2 resets a stream whose header list is over this (ENHANCE_YOUR_CALM) once
      // the client has the setting: a hard bound (an HPACK block decoding to 400 KB ends
      // here). Up to it, the router answers 431 / RESOURCE_EXHAUSTED past 16 KiB, with a
      // message, and a call with too many fields gets RESOURCE_EXHAUSTED from the gateway
      // instead of a reset from Node's default of 128 pairs.
      settings: { maxHeaderListSize: hardHeaderListBytes },
      maxHeaderListPairs: 2000,
    },
    (req: Http2ServerRequest | IncomingMessage, res: Http2ServerResponse | ServerResponse) => {
      // HTTP/2 carries the host as :authority (RFC 9113 8.3.1); CORS and the upstream
      // call read Host.
      const authority = req.headers[":authority"];
      if (req.headers.host === undefined && typeof authority === "string") {
        req.headers.host = authority;
      }
      res.setHeader("strict-transport-security", hsts);
      handler(req as IncomingMessage, res as ServerResponse);
    },
  );
  // The HTTP/1.1 fallback reads these like node:http does (set before listen).
  const http1 = server as unknown as {
    headersTimeout: number;
    requestTimeout: number;
    connectionsCheckingInterval: number;
  };
  if (options.connectionsCheckingInterval) {
    http1.connectionsCheckingInterval = options.connectionsCheckingInterval;
  }

  const sessions = new Set<Http2Session>();
  const idleTimeoutMs = options.http2IdleTimeoutMs ?? defaultHttp2IdleTimeoutMs;
  server.on("session", (session: Http2Session) => {
    sessions.add(session);
    const stopIdleTimer = closeWhenIdle(session, idleTimeoutMs);
    session.once("close", () => {
      sessions.delete(session);
      stopIdleTimer();
    });
  });
  // HTTP/1.1 connections, to cut them in closeAllConnections.
  const http1Sockets = new Set<TLSSocket>();
  server.on("secureConnection", (socket: TLSSocket) => {
    if (socket.alpnProtocol === "h2") return;
    http1Sockets.add(socket);
    socket.once("close", () => http1Sockets.delete(socket));
  });

  return {
    server,
    secure: true,
    setRequestTimeouts: requestTimeoutSetter(http1),
    stopAccepting() {
      stopListening(server);
      for (const session of sessions) if (!session.closed) session.close();
    },
    closeAllConnections() {
      for (const session of sessions) session.destroy();
      for (const socket of http1Sockets) socket.destroy();
    },
  };
}

/**
 * GOAWAY once the session has had no open stream for `idleMs`: HTTP/1.1 has Node's
 * headers and keep-alive timeouts for connections that send nothing; HTTP/2 has none,
 * so a client could hold connections open for ever. A call in progress, however quiet,
 * keeps its connection. Returns a function that stops the timer.
 */
function closeWhenIdle(session: Http2Session, idleMs: number): () => void {
  let open = 0;
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    timer = setTimeout(() => {
      if (!session.closed && !session.destroyed) session.close();
    }, idleMs);
    timer.unref();
  };
  session.on("stream", (stream: Http2Stream) => {
    open += 1;
    clearTimeout(timer);
    stream.once("close", () => {
      open -= 1;
      if (open === 0) arm();
    });
  });
  arm();
  return () => clearTimeout(timer);
}

function stopListening(server: net.Server): void {
  if (server.listening) net.Server.prototype.close.call(server);
}

/**
 * `connection: close`, for HTTP/1.1 answers that must not keep the connection (an
 * unread request body, a drain). HTTP/2 forbids connection-specific headers
 * (RFC 9113 8.2.2; Node drops them with a warning): its streams end on their own.
 */
export function connectionCloseHeader(req: IncomingMessage): Record<string, string> {
  return req.httpVersionMajor === 1 ? { connection: "close" } : {};
}
