import { fileURLToPath } from "node:url";
import { Server, ServerCredentials } from "@grpc/grpc-js";
import { type AuthConfig, readAuthConfig } from "./auth/auth-config.ts";
import { createWriteAuthorizer } from "./auth/jwt-write-authorizer.ts";
import type { WriteAuthorizer } from "./auth/write-authorizer.ts";
import { callLogInterceptor, logsCalls } from "./call-log.ts";
import {
  type ConnectionSettings,
  defaultConnectionSettings,
  grpcServerOptions,
} from "./channel-options.ts";
import { loadServedDescriptors } from "./descriptor-set.ts";
import { installGrpcJsGuards } from "./grpc-js-guards.ts";
import { addHealth } from "./health.ts";
import { bind, drainAndStop, hostPort } from "./listen-and-drain.ts";
import { type LogFormat, Logger, type LogLevel } from "./logger.ts";
import {
  type MetricsEndpoint,
  type MetricsListen,
  serveMetrics,
} from "./metrics/metrics-endpoint.ts";
import { type ServerGauges, ServerMetrics } from "./metrics/server-metrics.ts";
import { addReflection } from "./reflection.ts";
import { createTeamsHandlers, teamsServiceDefinition } from "./rpc/teams-handlers.ts";
import { bothObservers, observedStore } from "./store/observed-store.ts";
import { openServerStore, type StorageOptions } from "./store/server-store.ts";
import { defaultHealthCheckMs, watchStoreHealth } from "./store/store-health.ts";
import type { TeamStore } from "./store/team-store.ts";
import type { TeamRecord } from "./team-record.ts";
import { checkTeamRecords, loadTeamsFile } from "./teams-file.ts";
import type { ServerTracing } from "./tracing/server-tracing.ts";
import { traceIdField } from "./tracing/trace-context.ts";
import { ChangeFeed } from "./watch/change-feed.ts";
import { type ChangeSignal, replicaChangeSignal } from "./watch/postgres-change-signal.ts";
import {
  defaultWatchSettings,
  pollIntervalMs,
  type WatchSettings,
} from "./watch/watch-settings.ts";

/** The directory shipped with the server: the tutorial's ten teams. */
export const defaultTeamsFile = fileURLToPath(new URL("../data/teams.json", import.meta.url));

export type ServerOptions = {
  /** Port to listen on; 0 picks a free one (see RunningServer.port). Default 50051. */
  port?: number;
  /** Interface to bind; default 0.0.0.0 (all IPv4). */
  host?: string;
  /**
   * Teams (records, or the path of a teams file) imported into the store at start
   * (TEAMS_FILE). A new store without them is seeded with data/teams.json.
   */
  teams?: TeamRecord[] | string;
  /** How long shutdown() lets in-flight calls finish before cutting them. Default 10000. */
  drainTimeoutMs?: number;
  /** Default info. */
  logLevel?: LogLevel;
  /** Default: LOG_FORMAT, else pretty in a terminal and JSON otherwise. */
  logFormat?: LogFormat;
  /** Where to log instead (tests); logLevel and logFormat are then ignored. */
  logger?: Logger;
  /** PEM certificate chain and key; plaintext when absent. */
  tls?: { cert: Buffer; key: Buffer };
  /** Where teams live; the caller keeps ownership (not closed at shutdown). */
  store?: TeamStore;
  /**
   * The store to open when no `store` is given: SQLite in `dataDir` or PostgreSQL at
   * `databaseUrl` (DATA_DIR, DATABASE_URL). With neither, a temporary SQLite store
   * that shutdown removes.
   */
  storage?: StorageOptions;
  /** How often the database is pinged for health (NOT_SERVING while down). Default 2000. */
  healthCheckMs?: number;
  /** Whose tokens writes accept; default the development key in DATA_DIR (see auth/). */
  auth?: AuthConfig;
  /** Who may write, instead of the token verifier built from `auth` (tests). */
  authorizer?: WriteAuthorizer;
  /** WatchTeams heartbeat, maximum age, per-watcher queue and feed poll. */
  watch?: Partial<WatchSettings>;
  /** How replicas sharing a database wake each other's change feed (PostgreSQL LISTEN/NOTIFY). */
  changeSignal?: ChangeSignal;
  /** Prometheus metrics on their own port (METRICS_PORT, METRICS_HOST); off when absent. */
  metrics?: MetricsListen;
  /** Spans per call and store operation (loadServerTracing: OTEL_EXPORTER_OTLP_ENDPOINT); shut down with the server. */
  tracing?: ServerTracing;
} & Partial<ConnectionSettings>;

export type RunningServer = {
  port: number;
  /** Where GET /metrics answers, when metrics are on. */
  metrics?: { port: number; host: string };
  /** Graceful: health NOT_SERVING, stop accepting, let calls finish (bounded by drainTimeoutMs). */
  shutdown(): Promise<void>;
  /** Cuts every connection now. */
  forceShutdown(): void;
};

export const defaultPort = 50051;
export const defaultHost = "0.0.0.0";
export const defaultDrainTimeoutMs = 10_000;

/** Builds the server with Teams, health and reflection, binds it and starts serving. */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  installGrpcJsGuards(); // long grpc-timeout values, compressed flag without encoding
  const logger =
    options.logger ?? new Logger(options.logLevel ?? "info", undefined, options.logFormat);
  const teams = options.teams === undefined ? undefined : resolveTeams(options.teams);
  const metrics = options.metrics ? new ServerMetrics() : undefined;
  const tracing = options.tracing;
  const observe = bothObservers([metrics?.storeOperation, tracing?.storeOperation]);
  const opened = await openServerStore(
    {
      store: options.store,
      storage: options.storage,
      teams,
      // A store the server opens is observed below its read cache: database queries only.
      hooks: { observe, onPool: metrics?.postgresPool },
    },
    () => resolveTeams(defaultTeamsFile),
    logger,
  );
  const store = observe && options.store ? observedStore(opened.store, observe) : opened.store;
  // Replicas on one PostgreSQL wake each other's change feed (LISTEN/NOTIFY).
  const ownSignal = options.changeSignal
    ? undefined
    : await replicaChangeSignal(options.store ? undefined : options.storage?.databaseUrl, logger);
  let release = async () => {
    await ownSignal?.close();
    await opened.release();
    await tracing?.shutdown();
  };
  const settings: ConnectionSettings = { ...defaultConnectionSettings, ...definedOnly(options) };
  // Every call, of every service (Teams, health, reflection), logs one line (unless the
  // level drops them all: then no interceptor at all, so silent calls cost nothing).
  const server = new Server({
    ...grpcServerOptions(settings),
    interceptors: [
      ...(tracing ? [tracing.interceptor] : []),
      ...(metrics ? [metrics.interceptor()] : []),
      ...(logsCalls(logger) ? [callLogInterceptor(logger, { extraFields: traceIdField })] : []),
    ],
  });
  const watch = { ...defaultWatchSettings, ...options.watch };
  const feed = new ChangeFeed(
    store,
    pollIntervalMs(watch, store.kind),
    logger,
    options.changeSignal ?? ownSignal,
  );
  const authorizer =
    options.authorizer ??
    (await createWriteAuthorizer(options.auth ?? readAuthConfig({}), { logger }));
  server.addService(
    teamsServiceDefinition,
    createTeamsHandlers(store, authorizer, logger, { feed, settings: watch }),
  );
  await feed.start();
  const health = addHealth(server);
  const storeHealth = watchStoreHealth(
    store,
    options.healthCheckMs ?? defaultHealthCheckMs,
    (reachable, reason) => {
      health.setDatabaseReachable(reachable);
      if (reachable) logger.info("database reachable again", { store: store.kind });
      else logger.error("database unreachable: health NOT_SERVING", { reason });
    },
  );
  addReflection(server, loadServedDescriptors());
  if (metrics) metrics.watch(feedGauges(feed, store));

  const host = options.host ?? defaultHost;
  const credentials = options.tls
    ? ServerCredentials.createSsl(
        null,
        [{ cert_chain: options.tls.cert, private_key: options.tls.key }],
        false,
      )
    : ServerCredentials.createInsecure();
  let port: number;
  try {
    port = await bind(server, hostPort(host, options.port ?? defaultPort), credentials);
  } catch (error) {
    storeHealth.stop();
    await release();
    throw error;
  }
  let endpoint: MetricsEndpoint | undefined;
  if (metrics && options.metrics) {
    try {
      endpoint = await serveMetrics(metrics.registry, options.metrics);
    } catch (error) {
      server.forceShutdown();
      storeHealth.stop();
      await release();
      throw error;
    }
    const closeStore = release;
    const closeEndpoint = endpoint.close;
    release = () => closeEndpoint().then(closeStore);
    logger.info("metrics", { url: `http://${hostPort(endpoint.host, endpoint.port)}/metrics` });
  }
  logger.info("listening", { port, host, tls: Boolean(options.tls), store: store.kind });

  const drainTimeoutMs = options.drainTimeoutMs ?? defaultDrainTimeoutMs;
  let stopping: Promise<void> | undefined;
  return {
    port,
    ...(endpoint ? { metrics: { port: endpoint.port, host: endpoint.host } } : {}),
    shutdown() {
      // Watches never end by themselves: end them first (WATCH_RESUME) so the drain is not held up.
      feed.close();
      stopping ??= drainAndStop(server, hostPort(host, port), drainTimeoutMs, health, logger).then(
        () => {
          storeHealth.stop();
          return release();
        },
      );
      return stopping;
    },
    forceShutdown() {
      feed.close();
      storeHealth.stop();
      health.notServing();
      server.forceShutdown();
      void release().catch(() => {});
    },
  };
}

/** Watchers and change-feed lag for the metrics, read at scrape time. */
function feedGauges(feed: ChangeFeed, store: TeamStore): ServerGauges {
  return {
    watchers: () => feed.watchers,
    async feedLag() {
      const delivered = feed.position;
      if (delivered === undefined) return undefined;
      try {
        return Math.max(0, (await store.currentVersion()) - delivered);
      } catch {
        return undefined; // the database is down: health says so
      }
    },
  };
}

function resolveTeams(teams: ServerOptions["teams"]): TeamRecord[] {
  if (Array.isArray(teams)) return checkTeamRecords(teams, "teams option");
  return loadTeamsFile(teams ?? defaultTeamsFile);
}

/** Only the connection settings the caller actually gave, so defaults fill the rest. */
function definedOnly(options: ServerOptions): Partial<ConnectionSettings> {
  const keys = Object.keys(defaultConnectionSettings) as (keyof ConnectionSettings)[];
  return Object.fromEntries(
    keys.filter((key) => options[key] !== undefined).map((key) => [key, options[key]]),
  );
}
