import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { builtPage } from "./built-page.ts";
import { type RunningChild, startChild } from "./child-process.ts";
import { freePort } from "./free-port.ts";

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "../../..");

/** The real stack on loopback: `npm run start -w server` behind `npm run start -w gateway`. */
export interface TeamsStack {
  /** The gateway's origin: it serves web/dist and gRPC-Web. */
  readonly url: string;
  /** False for a stack we did not start (E2E_BASE_URL): its server is not ours to stop. */
  readonly controlsServer: boolean;
  stopServer(): Promise<void>;
  /** Starts the server again on the same port, as after a crash or a deploy. */
  startServer(): Promise<void>;
  stop(): Promise<void>;
}

export interface TeamsStackOptions {
  /** More environment for the server, e.g. its own DATA_DIR (database and development key). */
  serverEnv?: NodeJS.ProcessEnv;
}

export async function startTeamsStack({
  serverEnv = {},
}: TeamsStackOptions = {}): Promise<TeamsStack> {
  const webRoot = builtPage(repoRoot);
  const grpcPort = await freePort();
  const startServer = () =>
    startChild("npm", ["run", "start", "-w", "server"], {
      cwd: repoRoot,
      env: { ...process.env, ...serverEnv, GRPC_PORT: String(grpcPort), HOST: "127.0.0.1" },
      ready: /"msg":"listening"/,
    });
  let server: RunningChild | null = await startServer();
  const port = await freePort();
  let gateway: RunningChild;
  try {
    gateway = await startChild("npm", ["run", "start", "-w", "gateway"], {
      cwd: repoRoot,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: "127.0.0.1",
        UPSTREAM: `127.0.0.1:${grpcPort}`,
        WEB_ROOT: webRoot,
      },
      ready: /listening/,
    });
  } catch (error) {
    await server.stop();
    throw error;
  }
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    controlsServer: true,
    async stopServer() {
      await server?.stop();
      server = null;
    },
    async startServer() {
      server = await startServer();
    },
    async stop() {
      await Promise.all([gateway.stop(), server?.stop()]);
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
