// Scenario 4: ListTeams of a whole generated directory (a million teams in the full run),
// native and through our gateway: messages per second, and each process's peak memory,
// which must stay bounded (flow control end to end, not buffering).
import type { BenchConfig } from "../config.ts";
import { runStreamClient } from "../load/stream-run.ts";
import { markUsage, usageSince } from "../proc-usage.ts";
import type { StreamRow, StreamSample } from "../results.ts";
import type { Listener } from "../spawn-listener.ts";
import { startOurGateway, startOurServer } from "../systems.ts";

const mb = 1_000_000;

async function measureStream(
  mode: "grpc" | "grpc-web",
  front: Listener,
  server: Listener,
  teams: number,
  stallMs = 0,
): Promise<StreamSample> {
  const pids = mode === "grpc" ? [server.pid] : [front.pid, server.pid];
  const marks = markUsage(pids);
  const out = await runStreamClient(mode, front.port, "", 0, stallMs);
  const usage = usageSince(marks);
  if (out.grpcStatus !== "0" || out.messages !== teams || out.leftover !== 0) {
    throw new Error(
      `ListTeams over ${mode}: grpc-status ${out.grpcStatus}, ${out.messages} of ${teams} messages, ${out.leftover} stray bytes`,
    );
  }
  const cpu = usage.reduce((sum, u) => sum + u.cpu, 0);
  const serverUsage = usage[usage.length - 1];
  return {
    messagesPerSecond: out.messages / out.seconds,
    seconds: out.seconds,
    messages: out.messages,
    cpuPer10k: (cpu / out.messages) * 10_000,
    serverPeakRssMb: (serverUsage?.peakRss ?? Number.NaN) / mb,
    serverRssBeforeMb: (marks[marks.length - 1]?.rssBefore ?? Number.NaN) / mb,
    gatewayPeakRssMb: mode === "grpc-web" ? (usage[0]?.peakRss ?? Number.NaN) / mb : undefined,
    gatewayRssBeforeMb: mode === "grpc-web" ? (marks[0]?.rssBefore ?? Number.NaN) / mb : undefined,
  };
}

export async function runStreaming(
  config: BenchConfig,
  directoryFile: (size: number) => Promise<string>,
  log: (line: string) => void,
): Promise<StreamRow[]> {
  const teams = config.streamTeams;
  const server = await startOurServer(await directoryFile(teams));
  const stops: Listener[] = [server];
  try {
    const gateway = await startOurGateway(server.port);
    stops.unshift(gateway);
    const native: StreamRow = { path: "native", teams, samples: [] };
    const viaGateway: StreamRow = { path: "gateway", teams, samples: [] };
    const stalled: StreamRow = {
      path: "gateway-stalled",
      teams,
      stallMs: config.stallMs,
      samples: [],
    };
    for (let rep = 1; rep <= config.repeats; rep++) {
      native.samples.push(await measureStream("grpc", server, server, teams));
      viaGateway.samples.push(await measureStream("grpc-web", gateway, server, teams));
      stalled.samples.push(await measureStream("grpc-web", gateway, server, teams, config.stallMs));
      const [n, g, st] = [native.samples.at(-1), viaGateway.samples.at(-1), stalled.samples.at(-1)];
      log(
        `streaming: run ${rep}: native ${Math.round(n?.messagesPerSecond ?? 0)} msg/s, ` +
          `gateway ${Math.round(g?.messagesPerSecond ?? 0)} msg/s, gateway peak ${g?.gatewayPeakRssMb?.toFixed(0)} MB, stalled reader: gateway peak ${st?.gatewayPeakRssMb?.toFixed(0)} MB`,
      );
    }
    return [native, viaGateway, stalled];
  } finally {
    for (const listener of stops) await listener.stop();
  }
}
