// Our server on a fresh store of either kind, with a development key of its own so the bench
// can sign write tokens: SQLite in a temporary DATA_DIR, or a throwaway PostgreSQL 15 cluster
// (one replica). Everything made here is removed on stop.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  importTeams,
  loadTeamsFile,
  openTeamStore,
  readAuthConfig,
  signDevelopmentToken,
} from "@teams/server";
import { type PostgresCluster, startPostgresCluster } from "@teams/server/postgres-cluster";
import { startCompiledTarget } from "./compiled-target.ts";
import type { Listener } from "./spawn-listener.ts";
import { startNodeTarget } from "./systems.ts";

export const storeKinds = ["sqlite", "postgres"] as const;
export type StoreKind = (typeof storeKinds)[number];

export const storeLabels: Record<StoreKind, string> = {
  sqlite: "SQLite",
  postgres: "PostgreSQL (one replica)",
};

/** A server on its own store, and a token its write methods accept. */
export interface StoreServer {
  server: Listener;
  token: string;
  /**
   * Stops the server process and starts a new one on the same store (a deployment's restart);
   * `server` is the new one from then on. Resolves with the spawn-to-listening time in ms.
   */
  restart(): Promise<number>;
}

export type StoreServerOptions = {
  /** Run the server compiled to JavaScript (as production does) instead of under tsx. */
  compiled?: boolean;
};

/** Starts our server on an empty-but-seeded store of `kind`; `stop()` removes the store too. */
export async function startServerOnFreshStore(
  kind: StoreKind,
  options: StoreServerOptions = {},
): Promise<StoreServer> {
  const dir = mkdtempSync(join(tmpdir(), `teams-bench-${kind}-`));
  const cleanups: (() => Promise<void>)[] = [
    async () => rmSync(dir, { recursive: true, force: true }),
  ];
  const cleanUp = async () => {
    for (const step of cleanups.reverse()) await step().catch(() => {});
  };
  try {
    const keyDir = join(dir, "key");
    const env: Record<string, string> = { KEY_DIR: keyDir };
    if (kind === "postgres") {
      const cluster = await startPostgresCluster();
      cleanups.push(() => cluster.destroy());
      env.DATABASE_URL = await cluster.createDatabase();
    } else {
      env.DATA_DIR = join(dir, "data");
    }
    const { token } = await signDevelopmentToken(readAuthConfig({ DATA_DIR: keyDir }), {
      scope: "teams:write",
      ttl: "2h",
      sub: "bench",
    });
    const start = () =>
      options.compiled
        ? startCompiledTarget("our-server.ts", env, 60_000)
        : startNodeTarget("our-server.ts", env, 60_000);
    let running = await start();
    cleanups.push(() => running.stop());
    const result: StoreServer = {
      server: { ...running, stop: cleanUp },
      token,
      async restart() {
        await running.stop();
        const spawned = performance.now();
        running = await start();
        const ms = performance.now() - spawned;
        result.server = { ...running, stop: cleanUp };
        return ms;
      },
    };
    return result;
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

/**
 * Our server (compiled) on a new store of `kind` holding exactly the teams of `teamsFile`,
 * written before it starts, as a deployment restarts on its data: SQLite in a temporary
 * DATA_DIR, PostgreSQL in a new database of `cluster`. `stop()` removes the SQLite store.
 */
export async function startServerOnFilledStore(
  kind: StoreKind,
  teamsFile: string,
  cluster: PostgresCluster | undefined,
): Promise<Listener> {
  if (kind === "postgres" && !cluster) throw new Error("a PostgreSQL store needs a cluster");
  const dir = mkdtempSync(join(tmpdir(), `teams-bench-${kind}-`));
  try {
    const env: Record<string, string> =
      kind === "postgres" && cluster
        ? { DATABASE_URL: await cluster.createDatabase() }
        : { DATA_DIR: join(dir, "data") };
    const store = await openTeamStore(
      env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : { dataDir: env.DATA_DIR },
    );
    try {
      await importTeams(store, loadTeamsFile(teamsFile));
    } finally {
      await store.close();
    }
    const server = await startCompiledTarget("our-server.ts", env, 60_000);
    return {
      ...server,
      async stop() {
        await server.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
