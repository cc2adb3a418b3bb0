// `npm start` turns Prometheus metrics on: the gateway on METRICS_PORT (default 9464, any free
// port when 9464 is taken and METRICS_PORT was not asked for), each server on a free port of
// its own, all on METRICS_HOST (default 127.0.0.1). The stack prints where they are.
import { once } from "node:events";
import net from "node:net";
import { parsePort } from "./config.ts";
import { defaultMetricsHost, type MetricsAddress } from "./metrics/metrics-listener.ts";

export const defaultStackMetricsPort = 9464;

export interface StackMetrics {
  readonly gateway: MetricsAddress;
  /** METRICS_PORT and METRICS_HOST for each server, in replica order. */
  readonly servers: ReadonlyArray<{ METRICS_PORT: string; METRICS_HOST: string }>;
}

export async function stackMetrics(
  env: NodeJS.ProcessEnv,
  replicas: number,
): Promise<StackMetrics> {
  const host = env.METRICS_HOST || defaultMetricsHost;
  const asked = env.METRICS_PORT ? parsePort("METRICS_PORT", env.METRICS_PORT) : undefined;
  const gatewayPort =
    asked ?? ((await isFree(defaultStackMetricsPort, host)) ? defaultStackMetricsPort : 0);
  const servers = [];
  for (let index = 0; index < replicas; index++) {
    servers.push({ METRICS_PORT: String(await freePort(host)), METRICS_HOST: host });
  }
  return { gateway: { port: gatewayPort, host }, servers };
}

async function isFree(port: number, host: string): Promise<boolean> {
  try {
    await listenAndClose(port, host);
    return true;
  } catch {
    return false;
  }
}

function freePort(host: string): Promise<number> {
  return listenAndClose(0, host);
}

async function listenAndClose(port: number, host: string): Promise<number> {
  const probe = net.createServer();
  probe.listen(port, host);
  await once(probe, "listening");
  const bound = (probe.address() as net.AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  return bound;
}

/** The line `npm start` prints. */
export function metricsLine(
  gatewayUrl: string,
  serverPorts: readonly string[],
  host: string,
): string {
  const shown = host.includes(":") ? `[${host}]` : host;
  const servers = serverPorts.map((port) => `http://${shown}:${port}/metrics`).join(", ");
  return `Metrics (Prometheus): gateway ${gatewayUrl}; servers ${servers}`;
}
