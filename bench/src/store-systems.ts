// Our server on a fresh store of either kind, with a development key of its own so the bench
// can sign write tokens: SQLite in a temporary DATA_DIR, or a throwaway PostgreSQL 15 cluster
// (one replica). Everything made here is removed on stop.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readAuthConfig, signDevelopmentToken } from "@teams/server";
import { startPostgresCluster } from "@teams/server/postgres-cluster";
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
}

/** Starts our server on an empty-but-seeded store of `kind`; `stop()` removes the store too. */
export async function startServerOnFreshStore(kind: StoreKind): Promise<StoreServer> {
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
    const started = await startNodeTarget("our-server.ts", env, 60_000);
    cleanups.push(() => started.stop());
    const server: Listener = { ...started, stop: cleanUp };
    return { server, token };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}
