import { readFileSync } from "node:fs";
import { readAuthConfig } from "./auth/auth-config.ts";
import { defaultConnectionSettings } from "./channel-options.ts";
import { type LogFormat, type LogLevel, logFormats, logLevels } from "./logger.ts";
import { defaultMetricsHost } from "./metrics/metrics-endpoint.ts";
import { defaultDrainTimeoutMs, defaultHost, defaultPort, type ServerOptions } from "./server.ts";
import { defaultDataDir } from "./store/open-team-store.ts";
import { defaultWatchSettings, type WatchSettings } from "./watch/watch-settings.ts";

/** A bad environment variable; the message names it and says what it must be. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

type Env = Record<string, string | undefined>;

/**
 * The server's whole configuration, from environment variables only (12-factor: the
 * same image runs everywhere). Unset or empty variables take their defaults.
 */
export function readConfig(env: Env): ServerOptions {
  return {
    port: integer(env, "GRPC_PORT", defaultPort, 0, 65_535),
    host: text(env, "HOST") ?? defaultHost,
    teams: text(env, "TEAMS_FILE"),
    storage: { dataDir: text(env, "DATA_DIR") ?? defaultDataDir, databaseUrl: databaseUrl(env) },
    logLevel: logLevel(env),
    logFormat: logFormat(env),
    drainTimeoutMs: integer(env, "DRAIN_TIMEOUT_MS", defaultDrainTimeoutMs, 0, 3_600_000),
    maxMessageBytes: integer(
      env,
      "MAX_MESSAGE_BYTES",
      defaultConnectionSettings.maxMessageBytes,
      1024,
      2 ** 31 - 1,
    ),
    keepaliveTimeMs: integer(
      env,
      "KEEPALIVE_TIME_MS",
      defaultConnectionSettings.keepaliveTimeMs,
      1000,
      2 ** 31 - 1,
    ),
    maxConnectionAgeMs: integer(
      env,
      "MAX_CONNECTION_AGE_MS",
      defaultConnectionSettings.maxConnectionAgeMs,
      1000,
      2 ** 31 - 1,
    ),
    maxConnectionAgeGraceMs: integer(
      env,
      "MAX_CONNECTION_AGE_GRACE_MS",
      defaultConnectionSettings.maxConnectionAgeGraceMs,
      0,
      2 ** 31 - 1,
    ),
    tls: tls(env),
    watch: watchSettings(env),
    auth: readAuthConfig(env),
    ...metricsListen(env),
  };
}

/** METRICS_PORT turns Prometheus metrics on (127.0.0.1 unless METRICS_HOST); unset: off. */
export function metricsListen(env: Env): Pick<ServerOptions, "metrics"> {
  if (text(env, "METRICS_PORT") === undefined) return {};
  return {
    metrics: {
      port: integer(env, "METRICS_PORT", 0, 0, 65_535),
      host: text(env, "METRICS_HOST") ?? defaultMetricsHost,
    },
  };
}

// --- WatchTeams settings (rpc) ---
function watchSettings(env: Env): WatchSettings {
  const most = 2 ** 31 - 1;
  const defaults = defaultWatchSettings;
  return {
    heartbeatMs: integer(env, "WATCH_HEARTBEAT_MS", defaults.heartbeatMs, 10, most),
    maxAgeMs: integer(env, "WATCH_MAX_AGE_MS", defaults.maxAgeMs, 10, most),
    queueLimit: integer(env, "WATCH_QUEUE_LIMIT", defaults.queueLimit, 1, 1_000_000),
    pollMs: integer(env, "WATCH_POLL_MS", defaults.pollMs, 0, most),
  };
}
// --- end of WatchTeams settings ---

function databaseUrl(env: Env): string | undefined {
  const url = text(env, "DATABASE_URL");
  if (url !== undefined && !/^postgres(ql)?:\/\//.test(url)) {
    // Never echo the value: it may hold a password.
    throw new ConfigError("DATABASE_URL must be a postgres:// or postgresql:// URL");
  }
  return url;
}

function text(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function logLevel(env: Env): LogLevel {
  const raw = text(env, "LOG_LEVEL")?.toLowerCase() ?? "info";
  if (!(logLevels as readonly string[]).includes(raw)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${logLevels.join("|")}, got "${raw}"`);
  }
  return raw as LogLevel;
}

/** Unset: pretty in a terminal, JSON otherwise (Logger's default). */
function logFormat(env: Env): LogFormat | undefined {
  const raw = text(env, "LOG_FORMAT")?.toLowerCase();
  if (raw === undefined) return undefined;
  if (!(logFormats as readonly string[]).includes(raw)) {
    throw new ConfigError(`LOG_FORMAT must be one of ${logFormats.join("|")}, got "${raw}"`);
  }
  return raw as LogFormat;
}

function tls(env: Env): ServerOptions["tls"] {
  const certPath = text(env, "TLS_CERT");
  const keyPath = text(env, "TLS_KEY");
  if (!certPath && !keyPath) return undefined;
  if (!certPath || !keyPath) {
    throw new ConfigError("TLS_CERT and TLS_KEY must be set together (PEM file paths), or neither");
  }
  return { cert: readPem(certPath, "TLS_CERT"), key: readPem(keyPath, "TLS_KEY") };
}

function readPem(path: string, name: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new ConfigError(`${name}: cannot read ${path}: ${(error as Error).message}`);
  }
}
