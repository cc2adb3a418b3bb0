// The PostgreSQL pool's gauges (src/metrics/pool-gauges.ts): read exactly while held
// transactions exhaust a real pool, served by a server on PostgreSQL, absent on SQLite. The
// store latency of a server that opens its store counts database reads only, not cache hits.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { setImmediate as nextTurn } from "node:timers/promises";
import { promtoolProblems, sampleValue, scrape } from "@teams/tools/prometheus-text";
import type pg from "pg";
import { startServer } from "../src/index.ts";
import { ServerMetrics } from "../src/metrics/server-metrics.ts";
import { openPostgresDriver } from "../src/store/postgres-driver.ts";
import type { StoreDriver } from "../src/store/sql-team-store.ts";
import { type PostgresCluster, startPostgresCluster } from "./support/postgres-cluster.ts";
import { recordingLogger } from "./support/recording-logger.ts";
import { stubAuthorizer } from "./support/stub-authorizer.ts";
import { getTeam, teamsClient } from "./support/teams-client.ts";
import { tempDir } from "./support/teams-files.ts";

const poolSeries = [
  "teams_store_pool_connections",
  "teams_store_pool_idle_connections",
  "teams_store_pool_waiting_queries",
  "teams_store_pool_max_connections",
];

let cluster: PostgresCluster;
before(async () => {
  cluster = await startPostgresCluster();
});
after(() => cluster.destroy());

/** The four pool gauges of an exposition, by name. */
function poolUse(text: string): Record<string, number | undefined> {
  return Object.fromEntries(poolSeries.map((name) => [name, sampleValue(text, name)]));
}

describe("PostgreSQL pool metrics", { timeout: 60_000 }, () => {
  it("count open, idle and waiting while held transactions exhaust the pool", async () => {
    const metrics = new ServerMetrics();
    let pool: pg.Pool | undefined;
    const driver: StoreDriver = await openPostgresDriver(await cluster.createDatabase(), {
      poolSize: 2,
      onPool(made) {
        pool = made;
        metrics.postgresPool(made);
      },
    });
    try {
      let release = () => {};
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      const holding: Array<Promise<void>> = [];
      const held = [0, 1].map(
        () =>
          new Promise<void>((entered) => {
            holding.push(
              driver.db.transaction().execute(async (trx) => {
                await trx.selectFrom("teams").select("city").execute();
                entered();
                await released;
              }),
            );
          }),
      );
      await Promise.all(held);
      const queued = driver.db.selectFrom("teams").select("city").execute();
      while (pool?.waitingCount === 0) await nextTurn();

      assert.deepEqual(poolUse(await metrics.registry.metrics()), {
        teams_store_pool_connections: 2,
        teams_store_pool_idle_connections: 0,
        teams_store_pool_waiting_queries: 1,
        teams_store_pool_max_connections: 2,
      });

      release();
      await Promise.all([...holding, queued]);
      assert.deepEqual(poolUse(await metrics.registry.metrics()), {
        teams_store_pool_connections: 2,
        teams_store_pool_idle_connections: 2,
        teams_store_pool_waiting_queries: 0,
        teams_store_pool_max_connections: 2,
      });
    } finally {
      await driver.close();
    }
  });

  it("are served by a server on PostgreSQL, which times database reads, not cache hits", async () => {
    const server = await startServer({
      port: 0,
      host: "127.0.0.1",
      logger: recordingLogger().logger,
      authorizer: stubAuthorizer,
      storage: { databaseUrl: await cluster.createDatabase(), postgres: { poolSize: 3 } },
      metrics: { port: 0 },
    });
    const client = teamsClient(server.port);
    try {
      await getTeam(client, "Chicago");
      await getTeam(client, "Chicago"); // from the read cache: no query
      const text = await scrape(`http://127.0.0.1:${server.metrics?.port}/metrics`);
      const reads = { operation: "get", store: "postgres" };
      assert.equal(sampleValue(text, "teams_store_query_seconds_count", reads), 1);
      const use = poolUse(text);
      assert.equal(use.teams_store_pool_max_connections, 3);
      for (const name of poolSeries) assert.equal(typeof use[name], "number", name);
      assert.equal(promtoolProblems(text), "");
    } finally {
      client.close();
      await server.shutdown();
    }
  });

  it("are absent on SQLite, which has no pool", async () => {
    const dataDir = tempDir();
    const server = await startServer({
      port: 0,
      host: "127.0.0.1",
      logger: recordingLogger().logger,
      authorizer: stubAuthorizer,
      storage: { dataDir: dataDir.dir },
      metrics: { port: 0 },
    });
    try {
      const text = await scrape(`http://127.0.0.1:${server.metrics?.port}/metrics`);
      assert.deepEqual(
        poolSeries.filter((name) => text.includes(name)),
        [],
      );
    } finally {
      await server.shutdown();
      dataDir.cleanup();
    }
  });
});
