// `npm start` turns Prometheus metrics on: the gateway on METRICS_PORT (default 9464, any free
// port when 9464 is taken and METRICS_PORT was not asked for), each server on a port it picks
// itself (METRICS_PORT=0, reported over its IPC channel), all on METRICS_HOST (default
// 127.0.0.1). Nothing is probed and released first, so no other process can take a port between.
// The stack prints where they are.
import { parsePort } from "./config.ts";
import { defaultMetricsHost, type MetricsAddress } from "./metrics/metrics-listener.ts";

export const defaultStackMetricsPort = 9464;

export interface StackMetrics {
  readonly gateway: MetricsAddress;
  /** METRICS_PORT and METRICS_HOST for each server (the same for every replica). */
  readonly server: { METRICS_PORT: string; METRICS_HOST: string };
}

export function stackMetrics(env: NodeJS.ProcessEnv): StackMetrics {
  const host = env.METRICS_HOST || defaultMetricsHost;
  const asked = env.METRICS_PORT ? parsePort("METRICS_PORT", env.METRICS_PORT) : undefined;
  return {
    gateway: { port: asked ?? defaultStackMetricsPort, host, anyPortIfTaken: asked === undefined },
    server: { METRICS_PORT: "0", METRICS_HOST: host },
  };
}

/** The line `npm start` prints. */
export function metricsLine(gatewayUrl: string, serverUrls: readonly string[]): string {
  return `Metrics (Prometheus): gateway ${gatewayUrl}; servers ${serverUrls.join(", ")}`;
}
