// `npm run bench:fanout-cost -w bench -- [watchers] [writes] [writes/s]`: the CPU each process
// spends per WatchTeams event delivered (one change to one watcher), the figure that decides how
// many watchers × writes per second a machine can fan out. The fan-out scenario's stack (SQLite
// server, our gateway, watchers in 4 processes of their own, text mode); CPU from /proc.
import { performance } from "node:perf_hooks";
import { openWatcherProcesses } from "./load/watcher-processes.ts";
import { openTeamWriter } from "./load/write-client.ts";
import { cpuSeconds } from "./proc-usage.ts";
import { startServerOnFreshStore } from "./store-systems.ts";
import { startOurGateway } from "./systems.ts";

const [watchers = 500, writes = 200, rate = 50] = process.argv.slice(2).map(Number);
const { server, token } = await startServerOnFreshStore("sqlite");
const gateway = await startOurGateway(server.port);
const writer = openTeamWriter(server.port, token);
const pool = await openWatcherProcesses(gateway.port, "Cost ", watchers, 4);
try {
  await pool.resetTally();
  const before = { server: cpuSeconds(server.pid), gateway: cpuSeconds(gateway.pid) };
  const start = performance.now();
  const puts: Promise<void>[] = [];
  for (let i = 0; i < writes; i++) {
    const wait = start + (i * 1000) / rate - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    puts.push(writer.put(`Cost ${i}`, "Cost"));
  }
  await Promise.all(puts);
  await pool.eachReceived(writes);
  const seconds = (performance.now() - start) / 1000;
  const delivered = watchers * writes;
  const usPer = (cpu: number) => ((cpu * 1e6) / delivered).toFixed(1);
  process.stdout.write(
    `${watchers} watchers × ${writes} writes at ${rate}/s: every event delivered in ${seconds.toFixed(1)} s; ` +
      `CPU µs per event delivered: server ${usPer(cpuSeconds(server.pid) - before.server)}, ` +
      `gateway ${usPer(cpuSeconds(gateway.pid) - before.gateway)}\n`,
  );
} finally {
  await pool.close();
  writer.close();
  await gateway.stop();
  await server.stop();
}
