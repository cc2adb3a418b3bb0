// `npm run bench:fanout-cost -w bench -- [watchers] [writes] [writes/s]`: the fan-out scenario's
// sustained phase alone, at any size (SQLite server, our gateway, watchers in 4 processes of
// their own, text mode): per write, the lag from its answer to the last watcher; CPU per event
// delivered (one change to one watcher) of the server, the gateway and the watcher processes,
// from /proc: the figures that decide how many watchers × writes per second a machine carries.
import { openWatcherProcesses } from "./load/watcher-processes.ts";
import { openTeamWriter } from "./load/write-client.ts";
import { sustainFanout } from "./scenarios/fanout.ts";
import { startServerOnFreshStore } from "./store-systems.ts";
import { startOurGateway } from "./systems.ts";

const [watchers = 500, writes = 200, rate = 50] = process.argv.slice(2).map(Number);
const { server, token } = await startServerOnFreshStore("sqlite");
const gateway = await startOurGateway(server.port);
const writer = openTeamWriter(server.port, token);
const pool = await openWatcherProcesses(gateway.port, "Cost ", watchers, 4);
try {
  const s = await sustainFanout(pool, writer, "Cost ", rate, writes / rate, {
    server: server.pid,
    gateway: gateway.pid,
  });
  const exact = s.fewestReceived === writes && s.mostReceived === writes && s.outOfOrder === 0;
  const cpu = s.cpuUsPerEvent;
  process.stdout.write(
    `${watchers} watchers × ${writes} writes at ${s.writesPerSecond.toFixed(0)}/s: ` +
      `${exact ? "every event to every watcher once, in order" : `received ${s.fewestReceived}–${s.mostReceived}, ${s.outOfOrder} out of order`}, ${s.resumes} resumes; ` +
      `lag answer→last watcher p50 ${s.lagMs?.p50.toFixed(0)} ms, p99 ${s.lagMs?.p99.toFixed(0)} ms, max ${s.lagMs?.max.toFixed(0)} ms (${s.writesLaggingOverSecond} writes over 1 s); ` +
      `CPU µs per event delivered: server ${cpu?.server.toFixed(1)}, gateway ${cpu?.gateway.toFixed(1)}, watchers ${cpu?.watchers.toFixed(1)}\n`,
  );
} finally {
  await pool.close();
  writer.close();
  await gateway.stop();
  await server.stop();
}
