// `REPLICAS=3 npm start` (gateway/src/stack.ts) on a throwaway PostgreSQL: the gateway and
// its replicas as an operator runs them, each replica found the way an operator finds it
// (the metrics line the stack prints, the process listening on the replica's port).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type PostgresCluster, startPostgresCluster } from "@teams/server/postgres-cluster";
import { builtPage } from "./built-page.ts";
import { type RunningChild, startChild } from "./child-process.ts";
import { freePortRange } from "./free-port-range.ts";
import { repoRoot } from "./teams-stack.ts";

/** One server of the stack: its gRPC port (the gateway's endpoint) and its /metrics. */
export interface Replica {
  /** The gateway's name for it, as its upstream metrics label it: `127.0.0.1:port`. */
  readonly endpoint: string;
  readonly port: number;
  readonly metricsUrl: string;
}

export interface ReplicaStack {
  /** The gateway's origin: the page and gRPC-Web. */
  readonly url: string;
  readonly gatewayMetricsUrl: string;
  readonly replicas: readonly Replica[];
  /** The replicas' DATA_DIR: `npm run token` there signs tokens they accept. */
  readonly dataDir: string;
  stop(): Promise<void>;
}

/** What `npm start` printed on the line that starts with `prefix`. */
function printed(child: RunningChild, prefix: string): string {
  const line = child
    .output()
    .split("\n")
    .find((text) => text.startsWith(prefix));
  if (!line) throw new Error(`npm start printed no "${prefix}" line:\n${child.output()}`);
  return line.slice(prefix.length).trim();
}

/**
 * Starts `REPLICAS=count npm start` on a fresh PostgreSQL database. `env` adds to the
 * stack's environment (it passes on to every replica).
 */
export async function startReplicaStack(
  count: number,
  env: NodeJS.ProcessEnv = {},
): Promise<ReplicaStack> {
  const webRoot = builtPage(repoRoot);
  const dataDir = mkdtempSync(join(tmpdir(), "teams-web-replicas-"));
  let cluster: PostgresCluster | undefined;
  try {
    const database = await startPostgresCluster();
    cluster = database;
    const grpcPort = await freePortRange(count);
    const stack = await startChild("npm", ["start"], {
      cwd: repoRoot,
      env: {
        ...process.env,
        ...env,
        REPLICAS: String(count),
        GRPC_PORT: String(grpcPort),
        PORT: "0",
        HOST: "127.0.0.1",
        METRICS_PORT: "0",
        DATABASE_URL: await database.createDatabase(),
        DATA_DIR: dataDir,
        WEB_ROOT: webRoot,
        LOG_LEVEL: "warn",
        LOG_FORMAT: "json",
      },
      ready: /^Metrics \(Prometheus\)/,
      timeoutMs: 120_000,
    });
    // "Metrics (Prometheus): gateway URL; servers URL, URL, URL" (in port order).
    const [gatewayPart = "", serversPart = ""] = stack.readyLine.split(";");
    const serverUrls = serversPart.replace(/^\s*servers\s*/, "").split(/,\s*/);
    return {
      url: printed(stack, "Teams is up:").replace("localhost", "127.0.0.1"),
      gatewayMetricsUrl: gatewayPart.replace(/^.*gateway\s*/, "").trim(),
      replicas: serverUrls.map((metricsUrl, index) => ({
        endpoint: `127.0.0.1:${grpcPort + index}`,
        port: grpcPort + index,
        metricsUrl: metricsUrl.trim(),
      })),
      dataDir,
      async stop() {
        await stack.stop();
        await database.destroy();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await cluster?.destroy();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}
