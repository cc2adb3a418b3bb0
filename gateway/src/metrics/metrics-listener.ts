// The gateway's metrics port (METRICS_PORT; 127.0.0.1 unless METRICS_HOST): GET /metrics
// answers the registry's exposition. Never the public port, whatever the public host is.
import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";

export interface MetricsAddress {
  readonly port: number;
  readonly host?: string;
}

export const defaultMetricsHost = "127.0.0.1";

export interface MetricsListener {
  readonly port: number;
  readonly host: string;
  readonly url: string;
  close(): Promise<void>;
}

export async function listenForScrapes(
  registry: Registry,
  address: MetricsAddress,
): Promise<MetricsListener> {
  const server = http.createServer(async (req, res) => {
    const wanted =
      req.url?.split("?")[0] === "/metrics" && ["GET", "HEAD"].includes(req.method ?? "");
    if (!wanted) {
      res.statusCode = 404;
      res.end("scrape GET /metrics\n");
      return;
    }
    try {
      const body = await registry.metrics();
      res.setHeader("content-type", registry.contentType);
      res.end(body);
    } catch (error) {
      res.statusCode = 500;
      res.end(String(error));
    }
  });
  const host = address.host ?? defaultMetricsHost;
  server.listen(address.port, host);
  try {
    await once(server, "listening");
  } catch (error) {
    throw new Error(
      `METRICS_PORT: cannot listen on ${host}:${address.port}: ${(error as Error).message}`,
    );
  }
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    host,
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}/metrics`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
