// The front door (HTTP/1.1, or HTTPS with HTTP/2): CORS, gRPC-Web calls, and the built page.
import { EventEmitter, once } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { parseRequestFormat, responseContentType, wantsTextResponse } from "./content-type.ts";
import {
  allowedRequestHeaders,
  type CorsPolicy,
  exposedResponseHeaders,
  isOriginAllowed,
  parseCorsOrigins,
} from "./cors.ts";
import { handleGrpcWebCall } from "./grpc-web-handler.ts";
import { connectionCloseHeader, createListener } from "./listener.ts";
import { createLogger, type Logger, type LogLevel } from "./logger.ts";
import { answerFault } from "./request-fault.ts";
import { createStaticHandler } from "./static-files.ts";
import type { TlsGatewayOptions } from "./tls-config.ts";
import { encodeGrpcMessage } from "./trailer.ts";
import { UpstreamSession, type UpstreamStats } from "./upstream-session.ts";

export interface GatewayOptions extends TlsGatewayOptions {
  /** Port to listen on; 0 picks a free one. Default 8080. */
  readonly port?: number;
  /** Default 0.0.0.0. */
  readonly host?: string;
  /** host:port of any gRPC server. Default 127.0.0.1:50051. */
  readonly upstream?: string;
  /** Comma-separated allowed page origins (see cors.ts). Default: local dev servers. */
  readonly corsOrigins?: string;
  /** Largest request message, from its length prefix. Default 4 MiB. */
  readonly maxMessageBytes?: number;
  /** The built page. Default <repo>/web/dist. */
  readonly webRoot?: string;
  readonly logLevel?: LogLevel;
  /** Where log lines go; stdout by default. */
  readonly logger?: Logger;
  /** HTTP/2 keepalive ping interval towards the upstream while calls are open. */
  readonly keepaliveIntervalMs?: number;
  readonly keepaliveTimeoutMs?: number;
  /** Time a client gets to send its request headers (slowloris guard). Default 10 s. */
  readonly headersTimeoutMs?: number;
  /** Time a client gets to send its whole request, body included. Default 30 s. */
  readonly requestTimeoutMs?: number;
  /** Longest pause between two chunks of a gRPC-Web request body. Default 10 s. */
  readonly bodyIdleTimeoutMs?: number;
  /**
   * How long a call the upstream never started (connection refused, REFUSED_STREAM
   * after a GOAWAY) is retried on a new session before UNAVAILABLE. Default 2 s.
   */
  readonly upstreamRetryMs?: number;
  /** How long drain() lets calls in progress finish. Default 10 s (the server's default too). */
  readonly drainTimeoutMs?: number;
}

export interface Gateway {
  readonly port: number;
  /** http://host:port as reachable from this machine. */
  readonly url: string;
  upstreamStats(): UpstreamStats;
  /** gRPC-Web calls in progress. */
  activeCalls(): number;
  /**
   * Graceful stop: refuses new calls (UNAVAILABLE) and connections, lets calls in
   * progress finish for up to `timeoutMs` (default drainTimeoutMs), then closes,
   * cutting what is left.
   */
  drain(timeoutMs?: number): Promise<void>;
  /** Stops listening, cuts open connections and the upstream session. */
  close(): Promise<void>;
}

export const defaultWebRoot = fileURLToPath(new URL("../../web/dist", import.meta.url));
export const defaultMaxMessageBytes = 4 * 1024 * 1024;
// Slow-client bounds. envoy.yaml matches them: request_headers_timeout 10s, request_timeout 30s.
export const defaultHeadersTimeoutMs = 10_000;
export const defaultRequestTimeoutMs = 30_000;
export const defaultBodyIdleTimeoutMs = 10_000;
export const defaultUpstreamRetryMs = 2000;
export const defaultDrainTimeoutMs = 10_000;

/** Starts a gateway; resolves once it listens. */
export async function startGateway(options: GatewayOptions = {}): Promise<Gateway> {
  const logger = options.logger ?? createLogger(options.logLevel ?? "info");
  const cors = parseCorsOrigins(options.corsOrigins);
  const upstream = new UpstreamSession({
    address: options.upstream ?? "127.0.0.1:50051",
    logger,
    tls: options.upstreamTls,
    ...(options.keepaliveIntervalMs ? { keepaliveIntervalMs: options.keepaliveIntervalMs } : {}),
    ...(options.keepaliveTimeoutMs ? { keepaliveTimeoutMs: options.keepaliveTimeoutMs } : {}),
  });
  const serveStatic = createStaticHandler(options.webRoot ?? defaultWebRoot);
  const maxMessageBytes = options.maxMessageBytes ?? defaultMaxMessageBytes;
  const headersTimeout = options.headersTimeoutMs ?? defaultHeadersTimeoutMs;
  const requestTimeout = options.requestTimeoutMs ?? defaultRequestTimeoutMs;
  const bodyIdleTimeoutMs = options.bodyIdleTimeoutMs ?? defaultBodyIdleTimeoutMs;
  if (headersTimeout > requestTimeout) {
    throw new Error(
      `headersTimeoutMs (${headersTimeout}) must not exceed requestTimeoutMs (${requestTimeout})`,
    );
  }
  let activeCalls = 0;
  let draining = false;
  const callsDone = new EventEmitter();

  // Node checks both timeouts on this interval (30 s by default, too coarse for short bounds).
  const connectionsCheckingInterval = Math.max(50, Math.min(1000, Math.floor(headersTimeout / 4)));
  const listenerOptions = {
    tls: options.tls,
    hstsMaxAgeSeconds: options.hstsMaxAgeSeconds,
    connectionsCheckingInterval,
    http2IdleTimeoutMs: options.http2IdleTimeoutMs,
  };
  const listener = createListener(listenerOptions, (req, res) => {
    try {
      handle(req, res);
    } catch (error) {
      answerFault(
        req,
        res,
        error,
        logger,
        parseRequestFormat(req.headers["content-type"]) !== undefined,
      );
    }
  });
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    if (draining) res.shouldKeepAlive = false;
    if (req.headers.host === undefined && req.httpVersion === "1.1") {
      res.setHeader("connection", "close");
      plain(res, 400, `${req.method} ${req.url}: HTTP/1.1 requests must carry a Host header`);
      return;
    }
    const origin = req.headers.origin;
    const allowed = origin === undefined || isOriginAllowed(cors, origin, req.headers.host);
    if (req.method === "OPTIONS") {
      preflight(req, res, cors);
      return;
    }
    const format = parseRequestFormat(req.headers["content-type"]);
    if (format && req.method === "POST") {
      if (draining) {
        refuseWhileDraining(
          res,
          wantsTextResponse(req.headers.accept),
          origin && allowed ? actualCorsHeaders(origin, []) : {},
        );
        return;
      }
      activeCalls += 1;
      res.once("close", () => {
        activeCalls -= 1;
        if (draining) listener.closeIdleConnections();
        if (activeCalls === 0) callsDone.emit("idle");
      });
      handleGrpcWebCall(req, res, format, {
        upstream,
        maxMessageBytes,
        bodyIdleTimeoutMs,
        retryWindowMs: options.upstreamRetryMs ?? defaultUpstreamRetryMs,
        logger,
        corsHeaders: (names) => (origin && allowed ? actualCorsHeaders(origin, names) : {}),
      });
      return;
    }
    if (req.method === "POST") {
      plain(
        res,
        415,
        `POST ${req.url}: content-type ${JSON.stringify(req.headers["content-type"] ?? "")} is not gRPC-Web; send application/grpc-web(+proto) or application/grpc-web-text(+proto)`,
      );
      return;
    }
    if (format || (req.method !== "GET" && req.method !== "HEAD")) {
      res.setHeader("allow", format ? "POST, OPTIONS" : "GET, HEAD, POST, OPTIONS");
      plain(
        res,
        405,
        `${req.method} ${req.url}: ${format ? "gRPC-Web calls must be POST" : "method not allowed"}`,
      );
      return;
    }
    serveStatic(req, res);
  };
  // Both bound only the request (headers, then the whole body); a streaming answer may
  // last as long as its grpc-timeout, which the gateway enforces itself.
  listener.setRequestTimeouts(headersTimeout, requestTimeout);
  const server = listener.server;
  server.on("clientError", (error: NodeJS.ErrnoException, socket) => {
    if (socket.writable) socket.end(clientErrorAnswer(error));
    else socket.destroy();
  });

  server.listen(options.port ?? 8080, options.host ?? "0.0.0.0");
  await once(server, "listening");
  const port = (server.address() as AddressInfo).port;
  const shownHost =
    !options.host || options.host === "0.0.0.0" || options.host === "::"
      ? "localhost"
      : options.host;
  logger.info("gateway listening", {
    port,
    upstream: upstream.address,
    https: listener.secure,
    upstreamTls: Boolean(options.upstreamTls),
  });
  const close = async (): Promise<void> => {
    listener.closeAllConnections();
    upstream.close();
    if (server.listening) await new Promise((resolve) => server.close(resolve));
  };
  return {
    port,
    url: `${listener.secure ? "https" : "http"}://${shownHost.includes(":") ? `[${shownHost}]` : shownHost}:${port}`,
    upstreamStats: () => upstream.stats(),
    activeCalls: () => activeCalls,
    async drain(timeoutMs = options.drainTimeoutMs ?? defaultDrainTimeoutMs) {
      draining = true;
      server.close(); // no new connections; idle keep-alive ones are closed now
      listener.closeIdleConnections();
      logger.info("gateway draining", { activeCalls, drainTimeoutMs: timeoutMs });
      if (activeCalls > 0) {
        const idle = once(callsDone, "idle");
        const timer = setTimeout(() => callsDone.emit("idle"), timeoutMs);
        await idle;
        clearTimeout(timer);
        if (activeCalls > 0)
          logger.warn("drain timed out; cutting remaining calls", { activeCalls });
      }
      await close();
    },
    close,
  };
}

/** Answers a CORS preflight: 204 with the allowances, or 403 for an origin not allowed. */
function preflight(req: IncomingMessage, res: ServerResponse, cors: CorsPolicy): void {
  const origin = req.headers.origin;
  if (!origin || !req.headers["access-control-request-method"]) {
    res.setHeader("allow", "GET, HEAD, POST, OPTIONS");
    res.writeHead(204).end();
    return;
  }
  if (!isOriginAllowed(cors, origin, req.headers.host)) {
    res.setHeader("vary", "Origin");
    plain(res, 403, `CORS: origin ${origin} is not allowed; add it to CORS_ORIGINS`);
    return;
  }
  res.writeHead(204, {
    "access-control-allow-origin": origin,
    "access-control-allow-methods": "POST, GET, OPTIONS",
    "access-control-allow-headers": allowedRequestHeaders(
      req.headers["access-control-request-headers"],
    ),
    "access-control-max-age": "86400",
    vary: "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
  });
  res.end();
}

function actualCorsHeaders(
  origin: string,
  metadataNames: readonly string[],
): Record<string, string> {
  return {
    "access-control-allow-origin": origin,
    "access-control-expose-headers": exposedResponseHeaders(metadataNames),
    vary: "Origin",
  };
}

/**
 * The raw answer to a request Node could not parse or that came too slowly (the
 * handler never sees these): the status that fits, and what to fix.
 */
function clientErrorAnswer(error: NodeJS.ErrnoException): string {
  const [status, reason, message] =
    error.code === "HPE_HEADER_OVERFLOW"
      ? [431, "Request Header Fields Too Large", "request line and headers exceed 16 KiB"]
      : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? [408, "Request Timeout", "request not received in time; send headers and body promptly"]
        : [400, "Bad Request", `malformed HTTP request (${error.code ?? error.message})`];
  const body = `${message}\n`;
  return `HTTP/1.1 ${status} ${reason}\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`;
}

/** A call that arrives on a kept-alive connection while the gateway drains. */
function refuseWhileDraining(
  res: ServerResponse,
  textOut: boolean,
  corsHeaders: Record<string, string>,
): void {
  res.writeHead(200, {
    "grpc-status": "14",
    "grpc-message": encodeGrpcMessage("the gateway is shutting down; retry on another instance"),
    "content-type": responseContentType(textOut),
    "content-length": "0",
    ...connectionCloseHeader(res.req),
    ...corsHeaders,
  });
  res.end();
}

function plain(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, {
    "content-type": "text/plain; charset=utf-8",
    "x-content-type-options": "nosniff",
  });
  res.end(`${message}\n`);
}
