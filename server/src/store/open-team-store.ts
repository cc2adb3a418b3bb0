// The factory the server calls: SQLite in DATA_DIR by default, PostgreSQL when a
// DATABASE_URL is given; a fresh directory is seeded once.
import { join } from "node:path";
import type pg from "pg";
import { CachedTeamStore, type ReadCacheOptions } from "./cached-team-store.ts";
import { defaultDataDir } from "./data-dir.ts";
import { observedStore, type StoreOperationObserver } from "./observed-store.ts";
import { openPostgresDriver, type PostgresOptions } from "./postgres-driver.ts";
import { SqlTeamStore } from "./sql-team-store.ts";
import { openSqliteDriver } from "./sqlite-driver.ts";
import type { TeamStore, TeamWrite } from "./team-store.ts";

/** The SQLite file inside DATA_DIR. */
export const sqliteFile = "teams.db";

export type StoreConfig = {
  /** Where the SQLite file lives; default defaultDataDir. Ignored when databaseUrl is set. */
  dataDir?: string;
  /** postgres://... to use PostgreSQL. */
  databaseUrl?: string;
  /** Teams written if, and only if, the directory has never been written. */
  seed?: readonly TeamWrite[];
  postgres?: PostgresOptions;
  readCache?: ReadCacheOptions;
  hooks?: StoreHooks;
};

/** Where the server's metrics and tracing hook into a store it opens. */
export type StoreHooks = {
  /** Told of each database operation: below the read cache, so a cache hit is none. */
  observe?: StoreOperationObserver;
  /** Given the PostgreSQL pool once it is made. */
  onPool?: (pool: pg.Pool) => void;
};

/**
 * Opens the configured store, migrating it, behind a read cache kept fresh by the change
 * log; rejects with a message naming the database.
 */
export async function openTeamStore(config: StoreConfig = {}): Promise<TeamStore> {
  const driver = config.databaseUrl
    ? await openPostgresDriver(config.databaseUrl, {
        ...config.postgres,
        onPool: config.hooks?.onPool,
      })
    : await openSqliteDriver(join(config.dataDir ?? defaultDataDir, sqliteFile));
  const store = new SqlTeamStore(driver);
  try {
    if (config.seed) await store.seedIfNew(config.seed);
    const observe = config.hooks?.observe;
    return await CachedTeamStore.over(
      observe ? (observedStore(store, observe) as SqlTeamStore) : store,
      config.readCache,
    );
  } catch (error) {
    await store.close();
    throw error;
  }
}
