// Which store a server uses: one given by the caller, one opened from the
// configuration (DATA_DIR / DATABASE_URL), or, for programmatic use with neither,
// SQLite in a temporary directory removed at shutdown. A new directory is seeded
// (the tutorial's ten teams, or the given teams); given teams are imported into an
// existing one.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Logger } from "../logger.ts";
import type { TeamRecord } from "../team-record.ts";
import { importTeams } from "./import-teams.ts";
import { openTeamStore, type StoreConfig, type StoreHooks } from "./open-team-store.ts";
import type { TeamStore } from "./team-store.ts";

export type StorageOptions = Pick<StoreConfig, "dataDir" | "databaseUrl" | "postgres">;

export type ServerStore = {
  store: TeamStore;
  /** Closes the store if the server opened it (and removes a temporary one). */
  release(): Promise<void>;
};

export async function openServerStore(
  options: {
    store?: TeamStore;
    storage?: StorageOptions;
    teams?: readonly TeamRecord[];
    hooks?: StoreHooks;
  },
  defaultTeams: () => readonly TeamRecord[],
  logger: Logger,
): Promise<ServerStore> {
  if (options.store) return { store: options.store, release: async () => {} };
  const temporary = options.storage ? undefined : mkdtempSync(join(tmpdir(), "teams-store-"));
  const removeTemporary = () => {
    if (temporary) rmSync(temporary, { recursive: true, force: true });
  };
  let store: TeamStore;
  try {
    store = await openTeamStore({
      ...(options.storage ?? { dataDir: temporary }),
      hooks: options.hooks,
    });
  } catch (error) {
    removeTemporary();
    throw error;
  }
  const release = async () => {
    await store.close();
    removeTemporary();
  };
  try {
    const fresh = (await store.currentVersion()) === 0;
    const teams = options.teams ?? (fresh ? defaultTeams() : undefined);
    if (teams) {
      const totals = await importTeams(store, teams);
      logger.info(fresh ? "store seeded" : "teams imported", { store: store.kind, ...totals });
    }
  } catch (error) {
    await release();
    throw error;
  }
  return { store, release };
}
