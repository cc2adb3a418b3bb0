// Scenarios 1-3: unary GetTeam against our server (native gRPC, on SQLite and on PostgreSQL), through our gateway
// (gRPC-Web binary and text) and through the minimal Node relay that floors any Node gateway
// (node-relay-floor.ts), each of ours again with tracing on (OTLP to a sink that discards),
// and against the peers, at each concurrency level.
// Every system runs in its own process(es); all are started first, then the repeats are
// interleaved across systems so a noisy neighbour hurts every system alike, not one.
import type { BenchConfig } from "../config.ts";
import { getTeamBody, getTeamPath, type Protocol } from "../load/protocols.ts";
import { verifyGetTeam } from "../load/verify-answer.ts";
import { type LoadTarget, measurePoint, runLoad } from "../measure-point.ts";
import type { Failure, Point, UnaryResults } from "../results.ts";
import type { Listener } from "../spawn-listener.ts";
import { startServerOnFreshStore } from "../store-systems.ts";
import {
  probeCity,
  startNodeTarget,
  startOurGateway,
  startOurServer,
  startPythonServer,
  tenTeamsFile,
} from "../systems.ts";

type ProcessKey =
  | "server"
  | "postgres"
  | "gateway"
  | "relay"
  | "otlpSink"
  | "tracedServer"
  | "tracedGateway"
  | "floor"
  | "python"
  | "proxy"
  | "connect"
  | "json";

interface UnarySystem {
  id: string;
  label: string;
  protocol: Protocol;
  /** Processes whose CPU counts, the one the load talks to first. */
  uses: ProcessKey[];
  /** A third-party peer: its failure is reported as a result, not a broken bench. */
  peer: boolean;
}

/** Report order: ours first, then the peers. */
export const unarySystems: readonly UnarySystem[] = [
  {
    id: "native",
    label: "our server, native gRPC (SQLite)",
    protocol: "grpc",
    uses: ["server"],
    peer: false,
  },
  {
    id: "native-postgres",
    label: "our server, native gRPC (PostgreSQL, one replica)",
    protocol: "grpc",
    uses: ["postgres"],
    peer: false,
  },
  {
    id: "floor",
    label: "grpc-js floor (fixed answer)",
    protocol: "grpc",
    uses: ["floor"],
    peer: false,
  },
  {
    id: "gateway-binary",
    label: "our gateway → server, gRPC-Web binary",
    protocol: "grpc-web",
    uses: ["gateway", "server"],
    peer: false,
  },
  {
    id: "gateway-text",
    label: "our gateway → server, gRPC-Web text",
    protocol: "grpc-web-text",
    uses: ["gateway", "server"],
    peer: false,
  },
  {
    id: "relay-floor",
    label: "minimal Node relay (floor) → our server, binary",
    protocol: "grpc-web",
    uses: ["relay", "server"],
    peer: false,
  },
  {
    id: "native-traced",
    label: "our server, native gRPC, tracing on (OTLP)",
    protocol: "grpc",
    uses: ["tracedServer"],
    peer: false,
  },
  {
    id: "gateway-binary-traced",
    label: "our gateway → server, gRPC-Web binary, tracing on in both (OTLP)",
    protocol: "grpc-web",
    uses: ["tracedGateway", "tracedServer"],
    peer: false,
  },
  {
    id: "python",
    label: "Python grpcio tutorial server",
    protocol: "grpc",
    uses: ["python"],
    peer: true,
  },
  {
    id: "grpc-web-proxy",
    label: "@grpc-web/proxy → our server, binary",
    protocol: "grpc-web",
    uses: ["proxy", "server"],
    peer: true,
  },
  {
    id: "connect",
    label: "connect-node gRPC-Web, no proxy",
    protocol: "grpc-web",
    uses: ["connect"],
    peer: true,
  },
  { id: "json", label: "JSON on node:http (REST)", protocol: "json", uses: ["json"], peer: true },
];

type Processes = Partial<Record<ProcessKey, Listener>>;

/** Starts every process; a peer that cannot start is recorded, ours fails the scenario. */
async function startAll(failures: Map<string, string>): Promise<Processes> {
  const procs: Processes = {};
  const starters: [ProcessKey, () => Promise<Listener>][] = [
    ["server", () => startOurServer()],
    ["postgres", async () => (await startServerOnFreshStore("postgres")).server],
    ["gateway", () => startOurGateway(need(procs.server, "server").port)],
    [
      "relay",
      () =>
        startNodeTarget("node-relay-floor.ts", {
          UPSTREAM: `127.0.0.1:${need(procs.server, "server").port}`,
        }),
    ],
    ["otlpSink", () => startNodeTarget("otlp-sink.ts")],
    ["tracedServer", () => startNodeTarget("our-server.ts", tracedEnv(procs), 60_000)],
    [
      "tracedGateway",
      () =>
        startNodeTarget("our-gateway.ts", {
          UPSTREAM: `127.0.0.1:${need(procs.tracedServer, "tracedServer").port}`,
          ...tracedEnv(procs),
        }),
    ],
    ["floor", () => startNodeTarget("grpc-js-floor.ts")],
    ["python", () => startPythonServer()],
    [
      "proxy",
      () =>
        startNodeTarget("grpc-web-proxy.ts", {
          UPSTREAM: `127.0.0.1:${need(procs.server, "server").port}`,
        }),
    ],
    ["connect", () => startNodeTarget("connect-grpc-web-server.ts", { TEAMS_FILE: tenTeamsFile })],
    ["json", () => startNodeTarget("json-http-server.ts", { TEAMS_FILE: tenTeamsFile })],
  ];
  for (const [key, start] of starters) {
    try {
      procs[key] = await start();
    } catch (error) {
      failures.set(key, `could not start: ${(error as Error).message}`);
    }
  }
  return procs;
}

/** Traces every call to the sink, as OTEL_EXPORTER_OTLP_ENDPOINT does (protobuf, batched). */
function tracedEnv(procs: Processes): Record<string, string> {
  return { BENCH_OTLP_ENDPOINT: `http://127.0.0.1:${need(procs.otlpSink, "otlpSink").port}` };
}

function need(listener: Listener | undefined, what: string): Listener {
  if (!listener) throw new Error(`${what} is not running`);
  return listener;
}

function targetOf(system: UnarySystem, procs: Processes): LoadTarget {
  const front = need(procs[system.uses[0] as ProcessKey], system.uses[0] as string);
  return {
    protocol: system.protocol,
    port: front.port,
    path: getTeamPath(system.protocol),
    body: getTeamBody(system.protocol, probeCity),
  };
}

export async function runUnary(
  config: BenchConfig,
  log: (line: string) => void,
): Promise<UnaryResults> {
  const startFailures = new Map<string, string>();
  const procs = await startAll(startFailures);
  const failures: Failure[] = [];
  const points = new Map<string, Point>();
  try {
    const live: UnarySystem[] = [];
    for (const system of unarySystems) {
      const missing = system.uses.find((key) => startFailures.has(key));
      if (missing) {
        failures.push({ system: system.id, error: `${missing}: ${startFailures.get(missing)}` });
        continue;
      }
      try {
        const target = targetOf(system, procs);
        const team = await verifyGetTeam(system.protocol, target.port, probeCity);
        if (!team.found) throw new Error(`GetTeam ${probeCity} answered found=false`);
        await runLoad(target, 16, config.warmupSeconds);
        live.push(system);
        log(`unary: ${system.id} answers ${team.city} ${team.nickname}; warmed up`);
      } catch (error) {
        failures.push({ system: system.id, error: (error as Error).message });
      }
    }
    for (let rep = 1; rep <= config.repeats; rep++) {
      for (const system of [...live]) {
        for (const concurrency of config.concurrency) {
          try {
            const pids = system.uses.map((key) => need(procs[key], key).pid);
            const sample = await measurePoint(
              targetOf(system, procs),
              pids,
              concurrency,
              config.seconds,
            );
            const key = `${system.id}@${concurrency}`;
            const point = points.get(key) ?? { system: system.id, concurrency, samples: [] };
            point.samples.push(sample);
            points.set(key, point);
            log(
              `unary: run ${rep} ${system.id} c=${concurrency}: ${Math.round(sample.rps)} req/s, p99 ${sample.p99Ms.toFixed(2)} ms`,
            );
          } catch (error) {
            failures.push({
              system: system.id,
              error: `run ${rep} c=${concurrency}: ${(error as Error).message}`,
            });
            live.splice(live.indexOf(system), 1);
            break;
          }
        }
      }
    }
  } finally {
    await Promise.all(Object.values(procs).map((p) => p.stop()));
  }
  const labels = Object.fromEntries(unarySystems.map((s) => [s.id, s.label]));
  return { labels, points: [...points.values()], failures };
}

/** Failures of our own systems: these make the bench run fail, a peer's do not. */
export function ownFailures(results: UnaryResults): Failure[] {
  const ours = new Set(unarySystems.filter((s) => !s.peer).map((s) => s.id));
  return results.failures.filter((f) => ours.has(f.system));
}
