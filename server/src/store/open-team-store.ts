// The factory the server calls: SQLite in DATA_DIR by default, PostgreSQL when a
// DATABASE_URL is given; a fresh directory is seeded once.
import { join } from "node:path";
import { CachedTeamStore, type ReadCacheOptions } from "./cached-team-store.ts";
import { defaultDataDir } from "./data-dir.ts";
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
};

/**
 * Opens the configured store, migrating it, behind a read cache kept fresh by the change
 * log; rejects with a message naming the database.
 */
export async function openTeamStore(config: StoreConfig = {}): Promise<TeamStore> {
  const driver = config.databaseUrl
    ? await openPostgresDriver(config.databaseUrl, config.postgres)
    : await openSqliteDriver(join(config.dataDir ?? defaultDataDir, sqliteFile));
  const store = new SqlTeamStore(driver);
  try {
    if (config.seed) await store.seedIfNew(config.seed);
    return await CachedTeamStore.over(store, config.readCache);
  } catch (error) {
    await store.close();
    throw error;
  }
}
