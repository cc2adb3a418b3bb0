// WatchTeams fan-out (issue 15): `watchers` streams through our gateway in gRPC-Web text mode
// (as the page watches) on a SQLite server; memory per idle watcher in the gateway and the
// server; then `writes` single PutTeam calls, one at a time, each timed from the call until
// the last watcher has decoded its event.
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import type { BenchConfig } from "../config.ts";
import { openWatchers } from "../load/watchers.ts";
import { openTeamWriter } from "../load/write-client.ts";
import { parseRssBytes } from "../proc-usage.ts";
import type { FanoutResults } from "../results.ts";
import { percentile } from "../stats.ts";
import { startServerOnFreshStore } from "../store-systems.ts";
import { startOurGateway } from "../systems.ts";

const rss = (pid: number) => parseRssBytes(readFileSync(`/proc/${pid}/status`, "utf8"));

/** Bytes per watcher from RSS before and after opening `count` of them, in KB (10^3 bytes). */
export function kbPerWatcher(before: number, after: number, count: number): number {
  return (after - before) / count / 1000;
}

export async function runFanout(
  config: BenchConfig,
  log: (line: string) => void,
): Promise<FanoutResults> {
  const { server, token } = await startServerOnFreshStore("sqlite");
  const gateway = await startOurGateway(server.port).catch(async (error) => {
    await server.stop();
    throw error;
  });
  const writer = openTeamWriter(server.port, token);
  const prefix = "Fanout ";
  try {
    // One write and one watch first, so code paths are warm before memory is read.
    const warm = await openWatchers(gateway.port, prefix, 1);
    await writer.put(`${prefix}warm`, "Warm");
    await warm.lastArrival(`${prefix}warm`);
    warm.close();
    const before = { gateway: rss(gateway.pid), server: rss(server.pid) };
    const pool = await openWatchers(gateway.port, prefix, config.fanoutWatchers);
    const after = { gateway: rss(gateway.pid), server: rss(server.pid) };
    const n = config.fanoutWatchers;
    log(`fanout: ${n} watchers have their snapshot`);
    const latenciesMs: number[] = [];
    try {
      for (let i = 0; i < config.fanoutWrites; i++) {
        const city = `${prefix}${i}`;
        const sent = performance.now();
        await writer.put(city, `Team ${i}`);
        latenciesMs.push((await pool.lastArrival(city)) - sent);
      }
    } finally {
      pool.close();
    }
    const results: FanoutResults = {
      watchers: n,
      writes: latenciesMs.length,
      p50Ms: percentile(latenciesMs, 50),
      p99Ms: percentile(latenciesMs, 99),
      maxMs: Math.max(...latenciesMs),
      gatewayKbPerWatcher: kbPerWatcher(before.gateway, after.gateway, n),
      serverKbPerWatcher: kbPerWatcher(before.server, after.server, n),
    };
    log(
      `fanout: last of ${n} watchers p50 ${results.p50Ms.toFixed(1)} ms, p99 ${results.p99Ms.toFixed(1)} ms; KB/watcher gateway ${results.gatewayKbPerWatcher.toFixed(1)}, server ${results.serverKbPerWatcher.toFixed(1)}`,
    );
    return results;
  } finally {
    writer.close();
    await gateway.stop();
    await server.stop();
  }
}
