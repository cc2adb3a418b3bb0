// Scenario 5: does latency stay flat as the directory grows? GetTeam (a primary-key lookup
// behind the read cache) and a ListTeams of 10 teams from the middle (one keyset page,
// O(log n + k)) with 10, 10^4 and 10^6 teams, on each store: SQLite, and PostgreSQL 15 in a
// throwaway cluster (one replica, a database per size). The server runs compiled.

import { frameMessage } from "@teams/gateway/grpc-frame";
import { type PostgresCluster, startPostgresCluster } from "@teams/server/postgres-cluster";
import type { BenchConfig } from "../config.ts";
import { middleQueries } from "../directory-file.ts";
import { runStreamClient } from "../load/stream-run.ts";
import { verifyGetTeam } from "../load/verify-answer.ts";
import { type LoadTarget, measurePoint, runLoad } from "../measure-point.ts";
import type { GrowthRow } from "../results.ts";
import { type StoreKind, startServerOnFilledStore, storeKinds } from "../store-systems.ts";
import { encodeListTeamsRequest, encodeTeamRequest } from "../teams-schema.ts";

export async function runGrowth(
  config: BenchConfig,
  directoryFile: (size: number) => Promise<string>,
  log: (line: string) => void,
): Promise<GrowthRow[]> {
  const rows: GrowthRow[] = [];
  let cluster: PostgresCluster | undefined;
  try {
    for (const store of storeKinds) {
      if (store === "postgres") cluster = await startPostgresCluster();
      for (const size of config.growthSizes) {
        rows.push(...(await measureSize(config, store, size, directoryFile, cluster, log)));
      }
    }
  } finally {
    await cluster?.destroy();
  }
  return rows;
}

async function measureSize(
  config: BenchConfig,
  store: StoreKind,
  size: number,
  directoryFile: (size: number) => Promise<string>,
  cluster: PostgresCluster | undefined,
  log: (line: string) => void,
): Promise<GrowthRow[]> {
  const rows: GrowthRow[] = [];
  const c = config.growthConcurrency;
  // The store is built once, then the server starts on it (as a deployment restarts).
  const server = await startServerOnFilledStore(store, await directoryFile(size), cluster);
  try {
    const { city, prefix } = middleQueries(size);
    const team = await verifyGetTeam("grpc", server.port, city);
    if (!team.found) throw new Error(`GetTeam ${city} in ${size} teams answered found=false`);
    const listed = await runStreamClient("grpc", server.port, prefix, 10);
    if (listed.grpcStatus !== "0" || listed.messages !== 10) {
      throw new Error(
        `ListTeams "${prefix}" in ${size} teams: status ${listed.grpcStatus}, ${listed.messages} of 10`,
      );
    }
    const targets: [GrowthRow["op"], LoadTarget][] = [
      [
        "GetTeam",
        {
          protocol: "grpc",
          port: server.port,
          path: "/Teams/GetTeam",
          body: frameMessage(encodeTeamRequest(city)),
        },
      ],
      [
        "ListTeams",
        {
          protocol: "grpc",
          port: server.port,
          path: "/Teams/ListTeams",
          body: frameMessage(encodeListTeamsRequest(prefix, 10)),
        },
      ],
    ];
    for (const [op, target] of targets) {
      await runLoad(target, c, config.warmupSeconds);
      const row: GrowthRow = { store, size, op, concurrency: c, samples: [] };
      for (let rep = 1; rep <= config.repeats; rep++) {
        row.samples.push(await measurePoint(target, [server.pid], c, config.growthSeconds));
      }
      rows.push(row);
      log(
        `growth: ${store} ${size} teams ${op}: p50 ${row.samples.map((s) => s.p50Ms.toFixed(3)).join("/")} ms`,
      );
    }
  } finally {
    await server.stop();
  }
  return rows;
}
