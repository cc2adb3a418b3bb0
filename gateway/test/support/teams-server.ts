// The real Teams server (@teams/server), in-process or as a child process that a
// test can SIGKILL, on a port of the test's choosing (to restart on the same one).
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

import { type RunningServer, startServer } from "@teams/server";

export type TeamsServer = RunningServer;

/** `count` teams named City 0000000, City 0000001, … (a long ListTeams stream). */
export function manyTeams(count: number): Array<{ city: string; nickname: string }> {
  return Array.from({ length: count }, (_, index) => ({
    city: `City ${String(index).padStart(7, "0")}`,
    nickname: `Team ${index}`,
  }));
}

export async function startTeamsServer(
  options: {
    port?: number;
    /** Default 127.0.0.1; 127.0.0.2 is a second loopback replica on the same port. */
    host?: string;
    teams?: Array<{ city: string; nickname: string }>;
    drainTimeoutMs?: number;
  } = {},
): Promise<TeamsServer> {
  return startServer({
    host: "127.0.0.1",
    logLevel: "silent",
    ...options,
    port: options.port ?? 0,
  });
}

const serverMain = fileURLToPath(new URL("../../../server/src/main.ts", import.meta.url));
const children = new Set<ChildProcess>();
/** Each child's own DATA_DIR, so a test's TEAMS_FILE never lands in the repository's data/. */
const dataDirs = new Set<string>();

export function killServerChildren(): void {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  children.clear();
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  dataDirs.clear();
}

/** `npm run server` as a child on `port` (0 = free); resolves with its port once it listens. */
export async function startServerChild(
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; port: number; exited: Promise<unknown> }> {
  const dataDir = mkdtempSync(join(tmpdir(), "teams-gateway-server-"));
  dataDirs.add(dataDir);
  const child = spawn(process.execPath, ["--import", "tsx", serverMain], {
    cwd: fileURLToPath(new URL("../../../server", import.meta.url)),
    env: {
      ...process.env,
      GRPC_PORT: "0",
      HOST: "127.0.0.1",
      LOG_LEVEL: "info",
      DATA_DIR: dataDir,
      ...env,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.add(child);
  const exited = once(child, "exit");
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const port = await new Promise<number>((resolve, reject) => {
    lines.on("line", (line) => {
      const log = JSON.parse(line) as { msg?: string; port?: number };
      if (log.msg === "listening") resolve(log.port as number);
    });
    void exited.then(() => reject(new Error("the server exited before listening")));
  });
  return { child, port, exited };
}
