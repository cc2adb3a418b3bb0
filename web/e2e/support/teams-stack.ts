import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { builtPage } from "./built-page.ts";
import { type RunningChild, startChild } from "./child-process.ts";
import { startTcpRelay } from "./tcp-relay.ts";

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "../../..");

/** The real stack on loopback: `npm run start -w server` behind `npm run start -w gateway`. */
export interface TeamsStack {
  /** The gateway's origin: it serves web/dist and gRPC-Web. */
  readonly url: string;
  /** False for a stack we did not start (E2E_BASE_URL): its server is not ours to stop. */
  readonly controlsServer: boolean;
  stopServer(): Promise<void>;
  /** Starts the server again, as after a crash or a deploy; the gateway is not restarted. */
  startServer(): Promise<void>;
  stop(): Promise<void>;
}

export interface TeamsStackOptions {
  /** More environment for the server, e.g. its own DATA_DIR (database and development key). */
  serverEnv?: NodeJS.ProcessEnv;
}

/** The port a child logged it listens on (`"port":N` in its JSON "listening" line). */
function listeningPort(child: RunningChild): number {
  const match = /"port":(\d+)/.exec(child.readyLine);
  if (!match) throw new Error(`no "port" in the line it logged: ${child.readyLine}`);
  return Number(match[1]);
}

/**
 * Every process binds port 0 and the test reads the port back, so a parallel test can never
 * take one. The gateway's upstream is a relay on a port this process holds: the server behind
 * it stops and starts again on a new port without the gateway noticing anything but the gap.
 */
export async function startTeamsStack({
  serverEnv = {},
}: TeamsStackOptions = {}): Promise<TeamsStack> {
  const webRoot = builtPage(repoRoot);
  const startServer = async (): Promise<RunningChild> => {
    const child = await startChild("npm", ["run", "start", "-w", "server"], {
      cwd: repoRoot,
      env: { ...process.env, ...serverEnv, GRPC_PORT: "0", HOST: "127.0.0.1" },
      ready: /"msg":"listening"/,
    });
    relay.target = listeningPort(child);
    return child;
  };
  const relay = await startTcpRelay();
  let server: RunningChild | null = null;
  let gateway: RunningChild;
  try {
    server = await startServer();
    gateway = await startChild("npm", ["run", "start", "-w", "gateway"], {
      cwd: repoRoot,
      env: {
        ...process.env,
        PORT: "0",
        HOST: "127.0.0.1",
        UPSTREAM: `127.0.0.1:${relay.port}`,
        WEB_ROOT: webRoot,
      },
      ready: /listening/,
    });
  } catch (error) {
    await Promise.all([server?.stop(), relay.close()]);
    throw error;
  }

  return {
    url: `http://127.0.0.1:${listeningPort(gateway)}`,
    controlsServer: true,
    async stopServer() {
      relay.target = undefined;
      await server?.stop();
      server = null;
    },
    async startServer() {
      server = await startServer();
    },
    async stop() {
      await Promise.all([gateway.stop(), server?.stop()]);
      await relay.close();
    },
  };
}

/**
 * A stack someone else runs, such as `docker compose up` behind Envoy (deploy's
 * `npm run test:compose` sets E2E_BASE_URL): the page is tested through its front door as is.
 */
export function externalTeamsStack(url: string): TeamsStack {
  const notOurs = async (): Promise<void> => {
    throw new Error(`the server behind ${url} is not ours to stop or start`);
  };
  return {
    url: url.replace(/\/+$/, ""),
    controlsServer: false,
    stopServer: notOurs,
    startServer: notOurs,
    async stop() {},
  };
}
