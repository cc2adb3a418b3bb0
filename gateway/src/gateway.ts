// The HTTP/1.1 front door: CORS, gRPC-Web calls, and the built page.
import { once } from "node:events";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { parseRequestFormat } from "./content-type";
import {
  allowedRequestHeaders,
  type CorsPolicy,
  exposedResponseHeaders,
  isOriginAllowed,
  parseCorsOrigins,
} from "./cors";
import { handleGrpcWebCall } from "./grpc-web-handler";
import { createLogger, type Logger, type LogLevel } from "./logger";
import { createStaticHandler } from "./static-files";
import { UpstreamSession, type UpstreamStats } from "./upstream-session";

export interface GatewayOptions {
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
}

export interface Gateway {
  readonly port: number;
  /** http://host:port as reachable from this machine. */
  readonly url: string;
  upstreamStats(): UpstreamStats;
  /** Stops listening, cuts open connections and the upstream session. */
  close(): Promise<void>;
}

export const defaultWebRoot = fileURLToPath(new URL("../../web/dist", import.meta.url));
export const defaultMaxMessageBytes = 4 * 1024 * 1024;

/** Starts a gateway; resolves once it listens. */
export async function startGateway(options: GatewayOptions = {}): Promise<Gateway> {
  const logger = options.logger ?? createLogger(options.logLevel ?? "info");
  const cors = parseCorsOrigins(options.corsOrigins);
  const upstream = new UpstreamSession({
    address: options.upstream ?? "127.0.0.1:50051",
    logger,
    ...(options.keepaliveIntervalMs ? { keepaliveIntervalMs: options.keepaliveIntervalMs } : {}),
    ...(options.keepaliveTimeoutMs ? { keepaliveTimeoutMs: options.keepaliveTimeoutMs } : {}),
  });
  const serveStatic = createStaticHandler(options.webRoot ?? defaultWebRoot);
  const maxMessageBytes = options.maxMessageBytes ?? defaultMaxMessageBytes;

  const server = http.createServer((req, res) => {
    const origin = req.headers.origin;
    const allowed = origin === undefined || isOriginAllowed(cors, origin, req.headers.host);
    if (req.method === "OPTIONS") {
      preflight(req, res, cors);
      return;
    }
    const format = parseRequestFormat(req.headers["content-type"]);
    if (format && req.method === "POST") {
      handleGrpcWebCall(req, res, format, {
        upstream,
        maxMessageBytes,
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
  });
  // Streaming calls may stay open for long; the gateway enforces grpc-timeout itself.
  server.requestTimeout = 0;
  server.on("clientError", (_error, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n");
  });

  server.listen(options.port ?? 8080, options.host ?? "0.0.0.0");
  await once(server, "listening");
  const port = (server.address() as AddressInfo).port;
  const shownHost =
    !options.host || options.host === "0.0.0.0" || options.host === "::"
      ? "localhost"
      : options.host;
  logger.info("gateway listening", { port, upstream: upstream.address });
  return {
    port,
    url: `http://${shownHost.includes(":") ? `[${shownHost}]` : shownHost}:${port}`,
    upstreamStats: () => upstream.stats(),
    async close() {
      const closed = once(server, "close");
      server.close();
      server.closeAllConnections();
      upstream.close();
      await closed;
    },
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

function plain(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, {
    "content-type": "text/plain; charset=utf-8",
    "x-content-type-options": "nosniff",
  });
  res.end(`${message}\n`);
}
