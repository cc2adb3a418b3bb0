// WatchTeams fan-out (issue 15): `watchers` streams through our gateway in gRPC-Web text mode
// (as the page watches) on a SQLite server; memory per idle watcher in the gateway and the
// server; then `writes` single PutTeam calls, one at a time, each timed from the call until
// the last watcher has decoded its event; then a steady write rate, every event counted. The
// watchers run in `watcherProcesses` processes besides the driver's, so the driver's one event
// loop is not the bottleneck measured.

import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import type { BenchConfig } from "../config.ts";
import { dueAt } from "../load/paced-writes.ts";
import { type FanoutWatchers, openWatcherProcesses } from "../load/watcher-processes.ts";
import { monotonicMs } from "../load/watchers.ts";
import { openTeamWriter, type TeamWriter } from "../load/write-client.ts";
import { cpuSeconds, parseRssBytes } from "../proc-usage.ts";
import type { FanoutResults, SustainedFanout } from "../results.ts";
import { percentile } from "../stats.ts";
import { startServerOnFreshStore } from "../store-systems.ts";
import { startOurGateway } from "../systems.ts";

/** Processes the watchers are spread over (they decode every event: the heaviest client work). */
const watcherProcesses = 4;

const rss = (pid: number) => parseRssBytes(readFileSync(`/proc/${pid}/status`, "utf8"));

/** Bytes per watcher from RSS before and after opening `count` of them, in KB (10^3 bytes). */
export function kbPerWatcher(before: number, after: number, count: number): number {
  return (after - before) / count / 1000;
}

/** Ms from one PutTeam call until the last watcher has its event. */
async function timedWrite(pool: FanoutWatchers, writer: TeamWriter, city: string): Promise<number> {
  const { last } = await pool.lastArrival(city);
  last.catch(() => {}); // awaited below; a failed put must not leave it unhandled
  const sent = monotonicMs();
  await writer.put(city, "Timed");
  return (await last) - sent;
}

/** The processes a sustained fan-out runs on, whose CPU it reads. */
export interface FanoutProcesses {
  server: number;
  gateway: number;
}

/**
 * `rate` writes per second for `seconds` with every watcher open: each must receive every one,
 * once, in version order (a watcher the server ends for falling too far behind fails the
 * scenario). Per write, the lag from its answer to the last watcher that received it; CPU per
 * event of the server, the gateway and the watcher processes, from the first write until every
 * watcher had the last.
 */
export async function sustainFanout(
  pool: FanoutWatchers,
  writer: TeamWriter,
  citiesPrefix: string,
  rate: number,
  seconds: number,
  pids: FanoutProcesses,
): Promise<SustainedFanout> {
  const writes = Math.round(rate * seconds);
  await pool.resetTally();
  const watcherCpu = () => pool.pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  const cpu = () => ({
    server: cpuSeconds(pids.server),
    gateway: cpuSeconds(pids.gateway),
    watchers: watcherCpu(),
  });
  const cpuBefore = cpu();
  const start = performance.now();
  const answered = new Float64Array(writes);
  const puts: Promise<void>[] = [];
  for (let i = 0; i < writes; i++) {
    await dueAt(start, i, rate);
    puts.push(
      writer.put(`${citiesPrefix}${i}`, "Sustained").then(() => {
        answered[i] = monotonicMs();
      }),
    );
  }
  // The rate the writes were sent at: the last one is due one interval before the end.
  const sending = (performance.now() - start) / 1000 + 1 / rate;
  await Promise.all(puts);
  const written = performance.now();
  await pool.eachReceived(writes);
  const drainMs = performance.now() - written;
  const cpuAfter = cpu();
  const [tally, arrivals] = await Promise.all([pool.tally(), pool.takeArrivals(citiesPrefix)]);
  const lags = Array.from(answered, (at, i) => (arrivals.get(`${citiesPrefix}${i}`) ?? NaN) - at);
  const usPerEvent = (key: keyof typeof cpuBefore) =>
    ((cpuAfter[key] - cpuBefore[key]) * 1e6) / (writes * pool.count);
  return {
    writesPerSecond: writes / sending,
    writes,
    fewestReceived: tally.fewest,
    mostReceived: tally.most,
    outOfOrder: tally.disorder,
    drainMs,
    resumes: tally.resumes,
    lagMs: { p50: percentile(lags, 50), p99: percentile(lags, 99), max: Math.max(...lags) },
    writesLaggingOverSecond: lags.filter((lag) => !(lag <= 1000)).length,
    cpuUsPerEvent: {
      server: usPerEvent("server"),
      gateway: usPerEvent("gateway"),
      watchers: usPerEvent("watchers"),
    },
  };
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
    const warm = await openWatcherProcesses(gateway.port, prefix, 1, 1);
    await timedWrite(warm, writer, `${prefix}warm`);
    await warm.close();
    const before = { gateway: rss(gateway.pid), server: rss(server.pid) };
    const pool = await openWatcherProcesses(
      gateway.port,
      prefix,
      config.fanoutWatchers,
      watcherProcesses,
    );
    const after = { gateway: rss(gateway.pid), server: rss(server.pid) };
    const n = config.fanoutWatchers;
    log(`fanout: ${n} watchers have their snapshot`);
    const latenciesMs: number[] = [];
    let sustained: SustainedFanout | undefined;
    try {
      for (let i = 0; i < config.fanoutWrites; i++) {
        latenciesMs.push(await timedWrite(pool, writer, `${prefix}${i}`));
      }
      log(
        `fanout: ${latenciesMs.length} timed writes, last watcher p50 ${percentile(latenciesMs, 50).toFixed(1)} ms, p99 ${percentile(latenciesMs, 99).toFixed(1)} ms; KB/watcher gateway ${kbPerWatcher(before.gateway, after.gateway, n).toFixed(1)}, server ${kbPerWatcher(before.server, after.server, n).toFixed(1)}; now ${config.fanoutRate} writes/s for ${config.fanoutSustainSeconds} s`,
      );
      sustained = await sustainFanout(
        pool,
        writer,
        `${prefix}sustained `,
        config.fanoutRate,
        config.fanoutSustainSeconds,
        { server: server.pid, gateway: gateway.pid },
      );
    } finally {
      await pool.close();
    }
    const results: FanoutResults = {
      watchers: n,
      writes: latenciesMs.length,
      p50Ms: percentile(latenciesMs, 50),
      p99Ms: percentile(latenciesMs, 99),
      maxMs: Math.max(...latenciesMs),
      gatewayKbPerWatcher: kbPerWatcher(before.gateway, after.gateway, n),
      serverKbPerWatcher: kbPerWatcher(before.server, after.server, n),
      sustained,
    };
    log(
      `fanout: ${sustained?.writes} writes at ${sustained?.writesPerSecond.toFixed(0)}/s: each watcher received ${sustained?.fewestReceived}–${sustained?.mostReceived}, ${sustained?.outOfOrder} out of order, ${sustained?.resumes} watches resumed, all delivered ${sustained?.drainMs.toFixed(0)} ms after the last write answered; lag to the last watcher p50 ${sustained?.lagMs?.p50.toFixed(0)} ms, p99 ${sustained?.lagMs?.p99.toFixed(0)} ms, max ${sustained?.lagMs?.max.toFixed(0)} ms; CPU µs per event: server ${sustained?.cpuUsPerEvent?.server.toFixed(1)}, gateway ${sustained?.cpuUsPerEvent?.gateway.toFixed(1)}, watchers ${sustained?.cpuUsPerEvent?.watchers.toFixed(1)}`,
    );
    return results;
  } finally {
    writer.close();
    await gateway.stop();
    await server.stop();
  }
}
