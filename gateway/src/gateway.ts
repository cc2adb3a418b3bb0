// The front door (HTTP/1.1, or HTTPS with HTTP/2): CORS, gRPC-Web calls, and the built page.
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { hostPolicy } from "./allowed-hosts.ts";
import { combineObservers } from "./call-observer.ts";
import { handleGrpcWebCall } from "./call-to-upstream.ts";
import { parseCorsOrigins } from "./cors.ts";
import { DrainTracker, idleConnectionGraceMs } from "./drain.ts";
import { parseGatewayServices } from "./gateway-services.ts";
import { createListener } from "./listener.ts";
import { createLogger, type Logger, type LogLevel } from "./logger.ts";
import { GatewayMetrics, serveGatewayMetrics } from "./metrics/gateway-metrics.ts";
import type { MetricsAddress } from "./metrics/metrics-listener.ts";
import { clientErrorAnswer } from "./plain-answers.ts";
import { createRequestRouter } from "./request-router.ts";
import { createStaticHandler } from "./static-files.ts";
import type { TlsGatewayOptions } from "./tls-config.ts";
import type { GatewayTracing } from "./tracing/gateway-tracing.ts";
import { type Resolver, UpstreamPool, type UpstreamStats } from "./upstream-pool/index.ts";

export interface GatewayOptions extends TlsGatewayOptions {
  /** Port to listen on; 0 picks a free one. Default 8080. */
  readonly port?: number;
  /** Default 0.0.0.0. */
  readonly host?: string;
  /**
   * host:port of any gRPC server, or several separated by commas; a DNS name is one
   * endpoint per address (see upstream-pool/). Default 127.0.0.1:50051.
   */
  readonly upstream?: string;
  /** How often upstream DNS names are resolved again. Default 5000 (Envoy STRICT_DNS). */
  readonly upstreamDnsRefreshMs?: number;
  /** For tests: resolves upstream names instead of the system resolver. */
  readonly upstreamResolver?: Resolver;
  /** Service named in upstream health checks. Default "Teams". */
  readonly upstreamHealthService?: string;
  /** Interval of upstream health checks. Default 5000; 0 turns them off. */
  readonly upstreamHealthIntervalMs?: number;
  /** An upstream stream with no byte either way for this long ends UNAVAILABLE. Default 300 s. */
  readonly streamIdleTimeoutMs?: number;
  /**
   * What one upstream stream may receive before the gateway reads it: the most a browser
   * that stops reading can pin here. Default 64 KiB (upstream-pool/connect-session.ts).
   */
  readonly upstreamStreamWindowBytes?: number;
  /** Comma-separated allowed page origins (see cors.ts). Default: local dev servers. */
  readonly corsOrigins?: string;
  /**
   * gRPC services forwarded upstream, comma-separated full names, or `*` for all; others
   * get UNIMPLEMENTED from the gateway. Default: proto/teams.proto's services and health.
   */
  readonly services?: string;
  /**
   * Host names answered besides localhost, loopback, this machine's names and addresses
   * and the TLS certificate's names (comma-separated, `.example.com` for a domain, `*` for
   * any); other Hosts get 403.
   */
  readonly allowedHosts?: string;
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
  /** Prometheus metrics on their own port (METRICS_PORT, METRICS_HOST); off when absent. */
  readonly metrics?: MetricsAddress;
  /** Spans per call (loadGatewayTracing: OTEL_EXPORTER_OTLP_ENDPOINT); shut down by close(). */
  readonly tracing?: GatewayTracing;
}

export interface Gateway {
  readonly port: number;
  /** http://host:port as reachable from this machine. */
  readonly url: string;
  upstreamStats(): UpstreamStats;
  /** gRPC-Web calls in progress. */
  activeCalls(): number;
  /** Where GET /metrics answers, when metrics are on. */
  readonly metrics?: { readonly port: number; readonly host: string; readonly url: string };
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
  const upstream = new UpstreamPool({
    upstream: options.upstream ?? "127.0.0.1:50051",
    logger,
    tls: options.upstreamTls,
    dnsRefreshMs: options.upstreamDnsRefreshMs,
    resolve: options.upstreamResolver,
    healthService: options.upstreamHealthService,
    healthIntervalMs: options.upstreamHealthIntervalMs,
    streamIdleTimeoutMs: options.streamIdleTimeoutMs,
    streamWindowBytes: options.upstreamStreamWindowBytes,
    ...(options.keepaliveIntervalMs ? { keepaliveIntervalMs: options.keepaliveIntervalMs } : {}),
    ...(options.keepaliveTimeoutMs ? { keepaliveTimeoutMs: options.keepaliveTimeoutMs } : {}),
  });
  const metrics = options.metrics ? new GatewayMetrics(() => upstream.stats()) : undefined;
  const observe = combineObservers([metrics?.observe, options.tracing?.observe]);
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
  let draining = false;

  // Node checks both timeouts on this interval (30 s by default, too coarse for short bounds).
  const connectionsCheckingInterval = Math.max(50, Math.min(1000, Math.floor(headersTimeout / 4)));
  const listenerOptions = {
    tls: options.tls,
    hstsMaxAgeSeconds: options.hstsMaxAgeSeconds,
    connectionsCheckingInterval,
    http2IdleTimeoutMs: options.http2IdleTimeoutMs,
  };
  const router = createRequestRouter(
    {
      cors,
      hosts: hostPolicy(options.allowedHosts, options.tls?.cert),
      services: parseGatewayServices(options.services),
      logger,
    },
    {
      draining: () => draining,
      page: serveStatic,
      call(req, res, format, corsHeaders) {
        tracker.callStarted();
        res.on("close", () => tracker.callEnded());
        handleGrpcWebCall(req, res, format, {
          upstream,
          maxMessageBytes,
          bodyIdleTimeoutMs,
          retryWindowMs: options.upstreamRetryMs ?? defaultUpstreamRetryMs,
          logger,
          corsHeaders,
          observe,
        });
      },
    },
  );
  const listener = createListener(listenerOptions, router);
  // Both bound only the request (headers, then the whole body); a streaming answer may
  // last as long as its grpc-timeout, which the gateway enforces itself.
  listener.setRequestTimeouts(headersTimeout, requestTimeout);
  const server = listener.server;
  const tracker = new DrainTracker(server);
  server.on("clientError", (error: NodeJS.ErrnoException, socket) => {
    if (socket.writable) socket.end(clientErrorAnswer(error));
    else socket.destroy();
  });

  await upstream.start();
  server.listen(options.port ?? 8080, options.host ?? "0.0.0.0");
  await once(server, "listening");
  const port = (server.address() as AddressInfo).port;
  const scrapes =
    metrics && options.metrics
      ? await serveGatewayMetrics(metrics, options.metrics, server)
      : undefined;
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
    await scrapes?.close();
    await new Promise((resolve) => server.close(resolve));
    // Last: the calls just cut end their spans first, so they are sent too.
    await options.tracing?.shutdown();
  };
  return {
    port,
    url: `${listener.secure ? "https" : "http"}://${shownHost.includes(":") ? `[${shownHost}]` : shownHost}:${port}`,
    upstreamStats: () => upstream.stats(),
    activeCalls: () => tracker.calls,
    ...(scrapes ? { metrics: { port: scrapes.port, host: scrapes.host, url: scrapes.url } } : {}),
    async drain(timeoutMs = options.drainTimeoutMs ?? defaultDrainTimeoutMs) {
      const started = performance.now();
      draining = true; // answers from now on carry Connection: close; new calls get 14
      listener.stopAccepting();
      logger.info("gateway draining", { activeCalls: tracker.calls, drainTimeoutMs: timeoutMs });
      await tracker.callsDone(timeoutMs);
      if (tracker.calls > 0) {
        logger.warn("drain timed out; cutting remaining calls", { activeCalls: tracker.calls });
      }
      // Kept-alive connections close after their next answer; idle ones get a grace.
      const elapsed = performance.now() - started;
      await tracker.connectionsClosed(Math.min(idleConnectionGraceMs, timeoutMs) - elapsed);
      await close();
    },
    close,
  };
}
