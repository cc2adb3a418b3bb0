// The gateway under soak, in its own process (so its RSS and sockets are its own),
// reporting its figures over IPC when the driver asks: memory after a forced GC
// (start it with --expose-gc), open upstream streams, calls and sockets.
import { readdirSync, readlinkSync } from "node:fs";
import { startGateway } from "../src/index.ts";

export interface ChildStats {
  readonly rss: number;
  readonly heapUsed: number;
  readonly openStreams: number;
  readonly sessionsOpened: number;
  readonly activeCalls: number;
  /** File descriptors that are sockets: listener, browser connections, upstream session. */
  readonly sockets: number;
  /** Per upstream endpoint: in rotation (healthy, not ejected). */
  readonly inRotation: boolean[];
}

const upstream = process.env.UPSTREAM ?? "127.0.0.1:50051";
const gateway = await startGateway({ port: 0, host: "127.0.0.1", upstream, logLevel: "error" });

function socketCount(): number {
  let count = 0;
  for (const fd of readdirSync("/proc/self/fd")) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`).startsWith("socket:")) count += 1;
    } catch {
      // closed between listing and reading
    }
  }
  return count;
}

process.on("message", (message) => {
  if (message !== "stats" && message !== "rotation") return;
  if (message === "stats") (globalThis as { gc?: () => void }).gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  const upstreamStats = gateway.upstreamStats();
  const stats: ChildStats = {
    rss,
    heapUsed,
    openStreams: upstreamStats.openStreams,
    sessionsOpened: upstreamStats.sessionsOpened,
    activeCalls: gateway.activeCalls(),
    sockets: socketCount(),
    inRotation: upstreamStats.endpoints.map((endpoint) => endpoint.healthy && !endpoint.ejected),
  };
  process.send?.(stats);
});
process.on("disconnect", () => {
  void gateway.close().then(() => process.exit(0));
});
process.send?.({ port: gateway.port });
