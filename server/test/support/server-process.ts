import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const serverDir = fileURLToPath(new URL("../..", import.meta.url));

/** Every child started, so a timed-out test cannot leave one running (see `killServerProcesses`). */
const children = new Set<ChildProcess>();

/** SIGKILLs every server process still running; call it in an `after` hook. */
export function killServerProcesses(): void {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  children.clear();
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  dataDirs.clear();
}

/** Every DATA_DIR made for a child, removed by `killServerProcesses`. */
const dataDirs = new Set<string>();

function spawnMain(env: Record<string, string>, stdout: "pipe" | "ignore"): ChildProcess {
  // Each child gets its own empty DATA_DIR (a fresh SQLite store), never the repository's data/.
  const dataDir = mkdtempSync(join(tmpdir(), "teams-server-"));
  dataDirs.add(dataDir);
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: serverDir,
    env: { ...process.env, GRPC_PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir, ...env },
    stdio: ["ignore", stdout, "pipe"],
  });
  children.add(child);
  return child;
}

export type ServerProcess = {
  child: ChildProcess;
  port: number;
  /** Every JSON log line printed so far. */
  logs: Record<string, unknown>[];
  /** Resolves with the first log line matching, waiting for it if needed. */
  waitForLog(match: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  /** Resolves with the exit code once the process ends. */
  exited: Promise<number | null>;
  stderr(): string;
};

/**
 * Runs `src/main.ts` the way production does (tsx), on a free port, and resolves once
 * it has logged "listening". The caller kills it (or signals it) and awaits `exited`.
 */
export async function startServerProcess(env: Record<string, string> = {}): Promise<ServerProcess> {
  const child = spawnMain(env, "pipe");
  const logs: Record<string, unknown>[] = [];
  const waiters = new Set<() => void>();
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) => {
    logs.push(JSON.parse(line) as Record<string, unknown>);
    for (const wake of waiters) wake();
  });
  let hasExited = false;
  const exited = once(child, "exit").then(([code]) => {
    hasExited = true;
    for (const wake of waiters) wake();
    return code as number | null;
  });

  const waitForLog = (match: (line: Record<string, unknown>) => boolean) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const check = () => {
        const found = logs.find(match);
        if (found) {
          waiters.delete(check);
          resolve(found);
        } else if (hasExited) {
          waiters.delete(check);
          reject(new Error(`server exited before the expected log line; stderr: ${stderr}`));
        }
      };
      waiters.add(check);
      check();
    });

  const listening = await waitForLog((line) => line.msg === "listening");
  return { child, port: listening.port as number, logs, waitForLog, exited, stderr: () => stderr };
}

/** Runs `src/main.ts` expecting it to refuse to start; resolves with its exit code and stderr. */
export async function runFailingStart(
  env: Record<string, string>,
): Promise<{ code: number | null; stderr: string }> {
  const child = spawnMain(env, "ignore");
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const [code] = await once(child, "exit");
  return { code: code as number | null, stderr };
}
