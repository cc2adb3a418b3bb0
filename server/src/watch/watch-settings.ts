/** How watches behave; from WATCH_* environment variables (config.ts). */
export type WatchSettings = {
  /** A heartbeat at least this often on a quiet watch, so proxy idle timeouts never end it. */
  heartbeatMs: number;
  /** A watch ends (UNAVAILABLE, WATCH_RESUME) after about this long, jittered ±15 %. */
  maxAgeMs: number;
  /** Changes a watcher may have waiting to be sent; beyond, it is ended (WATCH_RESUME). */
  queueLimit: number;
  /** The change feed reads the change log at least this often (0: by store kind). */
  pollMs: number;
};

export const defaultWatchSettings: WatchSettings = {
  heartbeatMs: 30_000,
  maxAgeMs: 300_000,
  queueLimit: 10_000,
  pollMs: 0,
};

/**
 * The safety-net poll of the change feed when WATCH_POLL_MS is unset: slow on
 * PostgreSQL (LISTEN/NOTIFY wakes it), short on SQLite, whose file other
 * processes may write (REPLICAS=3 npm start) without telling this one.
 */
export function pollIntervalMs(settings: WatchSettings, storeKind: string): number {
  if (settings.pollMs > 0) return settings.pollMs;
  return storeKind === "postgres" ? 10_000 : 500;
}
