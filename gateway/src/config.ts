// Gateway settings from environment variables, checked with messages naming the variable.

import { hostPolicy } from "./allowed-hosts.ts";
import { parseCorsOrigins } from "./cors.ts";
import type { GatewayOptions } from "./gateway.ts";
import { parseGatewayServices } from "./gateway-services.ts";
import { parseLogLevel } from "./logger.ts";
import { defaultMetricsHost } from "./metrics/metrics-listener.ts";
import { tlsOptionsFromEnv } from "./tls-config.ts";
import { parseUpstreamTargets } from "./upstream-pool/upstream-addresses.ts";

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads PORT, HOST, UPSTREAM, CORS_ORIGINS, GATEWAY_SERVICES, ALLOWED_HOSTS, MAX_MESSAGE_BYTES, WEB_ROOT, LOG_LEVEL, and
 * the timeouts (milliseconds): HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS,
 * BODY_IDLE_TIMEOUT_MS, UPSTREAM_RETRY_MS, DRAIN_TIMEOUT_MS; the upstream pool's
 * UPSTREAM_DNS_REFRESH_MS, UPSTREAM_HEALTH_INTERVAL_MS, UPSTREAM_HEALTH_SERVICE and
 * STREAM_IDLE_TIMEOUT_MS, UPSTREAM_STREAM_WINDOW_BYTES; METRICS_PORT and METRICS_HOST.
 */
export function gatewayOptionsFromEnv(env: Env = process.env): GatewayOptions {
  const options: Record<string, unknown> = {
    port: parsePort("PORT", env.PORT ?? "8080"),
    host: env.HOST || "0.0.0.0",
    upstream: env.UPSTREAM || "127.0.0.1:50051",
  };
  parseUpstreamTargets(options.upstream as string); // fail at start, naming UPSTREAM
  if (env.UPSTREAM_HEALTH_SERVICE !== undefined) {
    options.upstreamHealthService = parseHealthService(env.UPSTREAM_HEALTH_SERVICE);
  }
  if (env.CORS_ORIGINS) {
    parseCorsOrigins(env.CORS_ORIGINS); // fail at start, not at the first call
    options.corsOrigins = env.CORS_ORIGINS;
  }
  if (env.GATEWAY_SERVICES) {
    parseGatewayServices(env.GATEWAY_SERVICES);
    options.services = env.GATEWAY_SERVICES;
  }
  if (env.ALLOWED_HOSTS) {
    hostPolicy(env.ALLOWED_HOSTS);
    options.allowedHosts = env.ALLOWED_HOSTS;
  }
  if (env.MAX_MESSAGE_BYTES)
    options.maxMessageBytes = parsePositive("MAX_MESSAGE_BYTES", env.MAX_MESSAGE_BYTES);
  if (env.UPSTREAM_STREAM_WINDOW_BYTES)
    options.upstreamStreamWindowBytes = parseWindow(env.UPSTREAM_STREAM_WINDOW_BYTES);
  if (env.WEB_ROOT) options.webRoot = env.WEB_ROOT;
  if (env.LOG_LEVEL) options.logLevel = parseLogLevel(env.LOG_LEVEL);
  for (const [name, key] of timeoutVariables) {
    const value = env[name];
    if (value) options[key] = parsePositive(name, value, "milliseconds");
  }
  if (env.METRICS_PORT) {
    options.metrics = {
      port: parsePort("METRICS_PORT", env.METRICS_PORT),
      host: env.METRICS_HOST || defaultMetricsHost,
    };
  }
  Object.assign(options, tlsOptionsFromEnv(env)); // TLS_*, HSTS_MAX_AGE, UPSTREAM_TLS, UPSTREAM_CA…
  return options as GatewayOptions;
}

export function parsePort(name: string, value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) {
    throw new Error(`${name}: expected a port number 0 to 65535, got ${JSON.stringify(value)}`);
  }
  return port;
}

const timeoutVariables = [
  ["HEADERS_TIMEOUT_MS", "headersTimeoutMs"],
  ["REQUEST_TIMEOUT_MS", "requestTimeoutMs"],
  ["BODY_IDLE_TIMEOUT_MS", "bodyIdleTimeoutMs"],
  ["UPSTREAM_RETRY_MS", "upstreamRetryMs"],
  ["DRAIN_TIMEOUT_MS", "drainTimeoutMs"],
  ["UPSTREAM_DNS_REFRESH_MS", "upstreamDnsRefreshMs"],
  ["UPSTREAM_HEALTH_INTERVAL_MS", "upstreamHealthIntervalMs"],
  ["STREAM_IDLE_TIMEOUT_MS", "streamIdleTimeoutMs"],
] as const;

/** "" (the whole server) or a service name short enough for the one-byte length the check sends. */
function parseHealthService(value: string): string {
  if (!/^[A-Za-z0-9_.]{0,127}$/.test(value)) {
    throw new Error(
      `UPSTREAM_HEALTH_SERVICE: expected a gRPC service name (letters, digits, _ and .; at most 127), or empty for the whole server, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** An HTTP/2 window: 65,535 (the protocol's default) up to 2^31 - 1 bytes. */
function parseWindow(value: string): number {
  const bytes = parsePositive("UPSTREAM_STREAM_WINDOW_BYTES", value);
  if (bytes < 65_535) {
    throw new Error(
      `UPSTREAM_STREAM_WINDOW_BYTES: expected at least 65535 (HTTP/2's initial window), got ${value}`,
    );
  }
  return bytes;
}

function parsePositive(name: string, value: string, unit = "bytes"): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < 1 || number > 2_147_483_647) {
    throw new Error(
      `${name}: expected a positive whole number of ${unit}, got ${JSON.stringify(value)}`,
    );
  }
  return number;
}
