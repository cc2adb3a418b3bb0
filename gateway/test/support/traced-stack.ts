// A server and a gateway that both export spans over OTLP (JSON) to a receiver the test starts.
import { loadServerTracing, type RunningServer, startServer } from "@teams/server";
import type { Logger } from "@teams/server/logger";
import { type Gateway, type GatewayOptions, startGateway } from "../../src/index.ts";
import { loadGatewayTracing } from "../../src/tracing/gateway-tracing.ts";
import { type OtlpReceiver, startOtlpReceiver } from "./otlp-receiver.ts";

export type TracedStack = { receiver: OtlpReceiver; server: RunningServer; gateway: Gateway };

export async function startTracedStack(
  options: { serverLogger?: Logger; gateway?: Partial<GatewayOptions> } = {},
): Promise<TracedStack> {
  const receiver = await startOtlpReceiver();
  const env = {
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
  };
  const server = await startServer({
    port: 0,
    host: "127.0.0.1",
    ...(options.serverLogger ? { logger: options.serverLogger } : { logLevel: "silent" }),
    tracing: await loadServerTracing(env),
  });
  const upstream = `127.0.0.1:${server.port}`;
  const gateway = await startGateway({
    port: 0,
    host: "127.0.0.1",
    upstream,
    logLevel: "silent",
    ...options.gateway,
    tracing: await loadGatewayTracing(upstream, env),
  });
  return { receiver, server, gateway };
}
