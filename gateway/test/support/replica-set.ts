// Server replicas as `REPLICAS=3 npm start` runs them: real server child processes, each
// kept running by a SupervisedServer (gateway/src/supervised-server.ts) on a free loopback
// port. A replica killed (SIGKILL) or stopped gracefully from outside (SIGTERM: it drains
// and exits) is restarted on its port by its supervisor, as in the stack; the helpers
// here send the signal and wait until the new process listens.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Logger } from "../../src/logger.ts";
import { portAccepts } from "../../src/port-accepts.ts";
import { SupervisedServer } from "../../src/supervised-server.ts";
import { freePort } from "./free-port.ts";
import { repoRoot, until } from "./stack-process.ts";

export interface ReplicaSet {
  readonly servers: readonly SupervisedServer[];
  /** UPSTREAM for a gateway in front of them: 127.0.0.1:port,… */
  readonly upstream: string;
  /** Sends `signal` to replica `index`; resolves once its restarted process accepts calls. */
  restart(index: number, signal: "SIGKILL" | "SIGTERM"): Promise<{ downMs: number }>;
  stop(): Promise<void>;
}

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * Starts `count` replicas sharing `env` (DATABASE_URL, say); without DATA_DIR in `env`
 * they share a fresh temporary one (one SQLite file, the development key).
 */
export async function startReplicaSet(
  count: number,
  env: Record<string, string> = {},
  options: { logger?: Logger } = {},
): Promise<ReplicaSet> {
  const dataDir = env.DATA_DIR ? undefined : mkdtempSync(join(tmpdir(), "teams-replicas-"));
  const servers: SupervisedServer[] = [];
  for (let index = 0; index < count; index += 1) {
    servers.push(
      new SupervisedServer({
        repo: repoRoot,
        port: await freePort(),
        env: {
          ...process.env,
          LOG_LEVEL: "warn",
          ...(dataDir ? { DATA_DIR: dataDir } : {}),
          ...env,
        },
        logger: options.logger ?? quiet,
        onLogLine: () => {},
        backoffMs: 100,
      }),
    );
  }
  const stop = async (): Promise<void> => {
    await Promise.all(servers.map((server) => server.stop()));
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    // One at a time: the first one creates the schema and the development key.
    for (const server of servers) await server.start();
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    servers,
    upstream: servers.map((server) => `127.0.0.1:${server.port}`).join(","),
    async restart(index, signal) {
      const server = servers[index];
      if (!server?.pid) throw new Error(`replica ${index} is not running`);
      const old = server.pid;
      const at = performance.now();
      process.kill(old, signal);
      // A graceful stop takes its drain time; then the supervisor starts a new process.
      await until(
        async () =>
          server.pid !== undefined && server.pid !== old && (await portAccepts(server.port)),
        `replica ${index} (port ${server.port}) back after ${signal}`,
        30_000,
      );
      return { downMs: performance.now() - at };
    },
    stop,
  };
}
