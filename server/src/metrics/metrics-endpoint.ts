// GET /metrics on its own port (METRICS_PORT, 127.0.0.1 unless METRICS_HOST says otherwise),
// never on the gRPC port: the Prometheus text exposition of one registry.
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";

export type MetricsListen = { port: number; host?: string };

export const defaultMetricsHost = "127.0.0.1";

export type MetricsEndpoint = { port: number; host: string; close(): Promise<void> };

export async function serveMetrics(
  registry: Registry,
  listen: MetricsListen,
): Promise<MetricsEndpoint> {
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://metrics").pathname;
    if (path !== "/metrics" || (request.method !== "GET" && request.method !== "HEAD")) {
      response
        .writeHead(404, { "content-type": "text/plain" })
        .end("metrics are at GET /metrics\n");
      return;
    }
    registry.metrics().then(
      (text) => {
        response.writeHead(200, { "content-type": registry.contentType }).end(text);
      },
      (error: Error) => {
        response.writeHead(500, { "content-type": "text/plain" }).end(`${error.message}\n`);
      },
    );
  });
  const host = listen.host ?? defaultMetricsHost;
  server.listen(listen.port, host);
  try {
    await once(server, "listening");
  } catch (error) {
    throw new Error(`cannot serve metrics on ${host}:${listen.port}: ${(error as Error).message}`);
  }
  return {
    port: (server.address() as AddressInfo).port,
    host,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
