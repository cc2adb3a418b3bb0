// Envoy must never end a quiet WatchTeams stream: a watch is silent between changes except for
// the server's heartbeats, and it lives until the server's maximum age ends it. So every
// HttpConnectionManager's stream_idle_timeout must outlast the heartbeat interval, and every
// route to the gRPC cluster must have no route timeout (`timeout: 0s`) and no idle or stream
// duration limit shorter than a watch's maximum age.
import { parseDuration } from "./proto-json-scalars.ts";

export type WatchTimings = { heartbeatMs: number; maxAgeMs: number };

type Node = Record<string, unknown>;

const isNode = (value: unknown): value is Node =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Milliseconds of an Envoy duration ("300s", "0.25s"), or undefined when absent or malformed. */
function durationMs(value: unknown): number | undefined {
  const parsed = parseDuration(value);
  return parsed ? Number(parsed.seconds) * 1000 + parsed.nanos / 1e6 : undefined;
}

/** Every object in the config that is an HttpConnectionManager (it has a route_config). */
function connectionManagers(value: unknown, found: Node[] = []): Node[] {
  if (Array.isArray(value)) for (const item of value) connectionManagers(item, found);
  else if (isNode(value)) {
    if (isNode(value.route_config)) found.push(value);
    for (const child of Object.values(value)) connectionManagers(child, found);
  }
  return found;
}

function routesOf(manager: Node): Node[] {
  const hosts = (manager.route_config as Node).virtual_hosts;
  if (!Array.isArray(hosts)) return [];
  return hosts.flatMap((host) => (isNode(host) && Array.isArray(host.routes) ? host.routes : []));
}

/** Problems, one sentence each naming the setting to change; empty when watches are safe. */
export function checkWatchTimeouts(
  envoy: unknown,
  grpcCluster: string,
  watch: WatchTimings,
): string[] {
  const problems: string[] = [];
  for (const manager of connectionManagers(envoy)) {
    const name = String((manager.route_config as Node).name ?? "route_config");
    const idle = durationMs(manager.stream_idle_timeout) ?? 300_000; // Envoy's default
    if (idle !== 0 && idle <= watch.heartbeatMs) {
      problems.push(
        `${name}: stream_idle_timeout ${idle} ms must exceed the WatchTeams heartbeat (${watch.heartbeatMs} ms)`,
      );
    }
    for (const route of routesOf(manager)) {
      const action = route.route;
      if (!isNode(action) || action.cluster !== grpcCluster) continue;
      const where = `${name} route ${JSON.stringify((route.match as Node | undefined) ?? {})}`;
      if (durationMs(action.timeout) !== 0) {
        problems.push(`${where}: timeout must be 0s (Envoy's default 15s would cut every watch)`);
      }
      const routeIdle = durationMs(action.idle_timeout);
      if (routeIdle !== undefined && routeIdle !== 0 && routeIdle <= watch.heartbeatMs) {
        problems.push(`${where}: idle_timeout ${routeIdle} ms must exceed the heartbeat`);
      }
      const limit = isNode(action.max_stream_duration)
        ? durationMs(action.max_stream_duration.max_stream_duration)
        : undefined;
      if (limit !== undefined && limit !== 0 && limit < watch.maxAgeMs) {
        problems.push(
          `${where}: max_stream_duration ${limit} ms would end watches before their maximum age (${watch.maxAgeMs} ms)`,
        );
      }
    }
  }
  return problems;
}
