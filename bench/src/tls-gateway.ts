// Our gateway over TLS (so browsers speak HTTP/2 to it) in its own process, with its metrics
// port open: the stalled-readers scenario reads the gateway's own flow-control counts there.
import { createServer } from "node:net";
import type { TestCertificates } from "@teams/tools/throwaway-ca";
import type { Listener } from "./spawn-listener.ts";
import { startNodeTarget } from "./systems.ts";

export interface TlsGateway {
  listener: Listener;
  url: string;
  metricsUrl: string;
  /** The upstream endpoint label of its per-endpoint metrics. */
  endpoint: string;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** A gateway in front of our server on `serverPort` with a per-stream window of `windowBytes`. */
export async function startTlsGateway(
  serverPort: number,
  certs: TestCertificates,
  windowBytes: number,
): Promise<TlsGateway> {
  const metricsPort = await freePort();
  const listener = await startNodeTarget("configured-gateway.ts", {
    UPSTREAM: `127.0.0.1:${serverPort}`,
    TLS_CERT: certs.certPath,
    TLS_KEY: certs.keyPath,
    METRICS_PORT: String(metricsPort),
    UPSTREAM_STREAM_WINDOW_BYTES: String(windowBytes),
  });
  return {
    listener,
    url: `https://127.0.0.1:${listener.port}`,
    metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
    endpoint: `127.0.0.1:${serverPort}`,
  };
}
