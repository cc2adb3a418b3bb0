// The gateway as a child process (src/main.ts, as `npm run gateway` runs it), so a
// test can signal it, watch its exit code and read its own memory from /proc.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const gatewayDir = fileURLToPath(new URL("../..", import.meta.url));
const gcPreload = fileURLToPath(new URL("./gc-on-signal.ts", import.meta.url));
const children = new Set<ChildProcess>();

/** SIGKILLs every gateway child still running; call it in an `after` hook. */
export function killGatewayProcesses(): void {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  children.clear();
}

export type LogLine = Record<string, unknown>;

/** process.memoryUsage() figures in bytes, right after a forced GC. */
export interface MemoryFigures {
  readonly rss: number;
  readonly heapUsed: number;
  readonly arrayBuffers: number;
}

export interface GatewayProcess {
  readonly child: ChildProcess;
  readonly port: number;
  readonly url: string;
  readonly logs: LogLine[];
  waitForLog(match: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** Exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  /** VmRSS from /proc/<pid>/status, in bytes. */
  rssBytes(): number;
  /** Forces a GC in the child (needs exposeGc) and returns its memory figures. */
  collect(): Promise<MemoryFigures>;
}

/** Starts src/main.ts on a free port with `env` (UPSTREAM at least); resolves once it listens. */
export async function startGatewayProcess(
  env: Record<string, string>,
  { exposeGc = false } = {},
): Promise<GatewayProcess> {
  const flags = exposeGc ? ["--expose-gc", "--import", "tsx", "--import", gcPreload] : [];
  const child = spawn(
    process.execPath,
    [...(flags.length ? flags : ["--import", "tsx"]), "src/main.ts"],
    {
      cwd: gatewayDir,
      env: { ...process.env, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  children.add(child);
  const logs: LogLine[] = [];
  const waiters = new Set<() => void>();
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) => {
    try {
      logs.push(JSON.parse(line) as LogLine);
    } catch {
      logs.push({ msg: "unparsed", line });
    }
    for (const wake of waiters) wake();
  });
  let hasExited = false;
  // "close", not "exit": by then every line it printed has been read.
  const exited = once(child, "close").then(([code]) => {
    hasExited = true;
    for (const wake of waiters) wake();
    return code as number | null;
  });

  const waitForLog = (match: (line: LogLine) => boolean, timeoutMs = 15_000, from = 0) =>
    new Promise<LogLine>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no matching gateway log line in ${timeoutMs} ms; stderr: ${stderr}`));
      }, timeoutMs);
      const check = (): void => {
        const found = logs.slice(from).find(match);
        if (found || hasExited) {
          waiters.delete(check);
          clearTimeout(timer);
          if (found) resolve(found);
          else reject(new Error(`gateway exited before the expected log line; stderr: ${stderr}`));
        }
      };
      waiters.add(check);
      check();
    });

  const listening = await waitForLog((line) => line.msg === "gateway listening", 30_000);
  const port = listening.port as number;
  return {
    child,
    port,
    url: `http://127.0.0.1:${port}`,
    logs,
    waitForLog,
    exited,
    rssBytes: () => {
      const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
      const kib = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
      if (!kib) throw new Error(`no VmRSS for pid ${child.pid}`);
      return Number(kib) * 1024;
    },
    async collect() {
      const from = logs.length;
      child.kill("SIGUSR2");
      const line = await waitForLog((log) => log.msg === "memory", 10_000, from);
      return {
        rss: line.rss as number,
        heapUsed: line.heapUsed as number,
        arrayBuffers: line.arrayBuffers as number,
      };
    },
  };
}
