// The database for the server image test: a throwaway PostgreSQL cluster (the server tests'
// own helper) when the server speaks PostgreSQL, else SQLite in a temporary DATA_DIR.
import { existsSync } from "node:fs";
import { chown, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { repoPath } from "../../src/stack-files.ts";

export interface ServerDatabase {
  /** DATABASE_URL or DATA_DIR, to put over the Compose environment. */
  env: Record<string, string>;
  kind: "PostgreSQL" | "SQLite";
  destroy(): Promise<void>;
}

interface Cluster {
  createDatabase(): Promise<string>;
  destroy(): Promise<void>;
}

export async function serverDatabase(owner: {
  uid?: number;
  gid?: number;
}): Promise<ServerDatabase> {
  const helper = repoPath("server/test/support/postgres-cluster.ts");
  if (existsSync(helper)) {
    const { startPostgresCluster } = (await import(pathToFileURL(helper).href)) as {
      startPostgresCluster(): Promise<Cluster>;
    };
    const cluster = await startPostgresCluster();
    const url = await cluster.createDatabase();
    return { kind: "PostgreSQL", env: { DATABASE_URL: url }, destroy: () => cluster.destroy() };
  }
  const dir = await mkdtemp(join(tmpdir(), "teams-image-data-"));
  if (owner.uid !== undefined) await chown(dir, owner.uid, owner.gid ?? owner.uid);
  return {
    kind: "SQLite",
    env: { DATABASE_URL: "", DATA_DIR: dir },
    destroy: () => rm(dir, { recursive: true, force: true }),
  };
}
