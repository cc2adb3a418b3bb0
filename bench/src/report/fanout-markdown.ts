// The WatchTeams fan-out section of RESULTS.md.
import type { BenchResults, SustainedFanout } from "../results.ts";
import { num } from "./format.ts";

export function fanoutTable(r: BenchResults): string[] {
  const f = r.fanout;
  if (!f) return [];
  return [
    "## Live updates: WatchTeams fan-out through the gateway",
    "",
    `${num(f.watchers)} WatchTeams streams through our gateway in gRPC-Web text mode (as the page watches), each on its own HTTP/1.1 connection, on a SQLite server. ` +
      `Then ${num(f.writes)} single PutTeam calls (native, straight to the server), one at a time: each is timed from the call until the last watcher has decoded its event. ` +
      "Memory per idle watcher: RSS of each process after every watcher has its snapshot, minus before any was opened, ÷ watchers (KB = 1,000 bytes; garbage collection makes it noisy with few watchers). The watchers run in 4 processes of their own (`src/load/watcher-process.ts`), not in the driver, whose one event loop would otherwise be what is measured; times are on the monotonic clock all processes share.",
    "",
    "| Watchers | Writes | last watcher p50 ms | p99 ms | max ms | gateway KB/watcher | server KB/watcher |",
    "|---|---|---|---|---|---|---|",
    `| ${num(f.watchers)} | ${num(f.writes)} | ${num(f.p50Ms, 1)} | ${num(f.p99Ms, 1)} | ${num(f.maxMs, 1)} | ${num(f.gatewayKbPerWatcher, 1)} | ${num(f.serverKbPerWatcher, 1)} |`,
    "",
    ...sustainedLines(f.sustained, f.watchers),
  ];
}

function sustainedLines(s: SustainedFanout | undefined, watchers: number): string[] {
  if (!s) return [];
  const exact = s.fewestReceived === s.writes && s.mostReceived === s.writes && s.outOfOrder === 0;
  return [
    `Then ${num(s.writes)} writes sent at ${num(s.writesPerSecond)}/s with every watcher open: each watcher received ${num(s.fewestReceived)} to ${num(s.mostReceived)} of them, ${num(s.outOfOrder)} out of version order, ` +
      `all delivered ${num(s.drainMs)} ms after the last write answered: ${exact ? "**every event to every watcher exactly once**" : "**events lost, repeated or reordered**"}` +
      (s.resumes
        ? ` (${num(s.resumes)} watches ended meanwhile, at their maximum age or their connection's, and resumed from their last version, as the page does).`
        : "."),
    "",
    ...lagLines(s, watchers),
  ];
}

/** How far the slowest watcher fell behind, and what each process spent per event. */
function lagLines(s: SustainedFanout, watchers: number): string[] {
  if (!s.lagMs || !s.cpuUsPerEvent) return [];
  const cpu = s.cpuUsPerEvent;
  // CPU seconds per second the three together need to deliver this rate as it is written.
  const cores = ((cpu.server + cpu.gateway + cpu.watchers) * s.writesPerSecond * watchers) / 1e6;
  return [
    "A watcher falls behind when a write reaches it late: per write, the lag from its PutTeam answer to the last watcher receiving it (negative: every watcher had it before the writer had the answer). " +
      "CPU per event delivered (one change to one watcher), from /proc, from the first write until every watcher had the last: the watcher processes share the machine, so what they spend is taken from the stack.",
    "",
    "| lag p50 ms | p99 ms | max ms | writes over 1 s | server µs/event | gateway µs/event | watchers µs/event | cores needed at this rate |",
    "|---|---|---|---|---|---|---|---|",
    `| ${num(s.lagMs.p50, 1)} | ${num(s.lagMs.p99, 1)} | ${num(s.lagMs.max, 1)} | ${num(s.writesLaggingOverSecond ?? 0)} | ${num(cpu.server, 1)} | ${num(cpu.gateway, 1)} | ${num(cpu.watchers, 1)} | ${num(cores, 2)} |`,
    "",
  ];
}
