// Starts one system under test in its own process and waits for the JSON line
// {"msg":"listening","port":N} on its stdout (the convention every server here follows).
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";

/** What to start. */
export interface ListenerSpec {
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
  /** How long startup may take (loading a million teams is not instant). */
  startTimeoutMs?: number;
}

/** A running system under test. */
export interface Listener {
  name: string;
  pid: number;
  port: number;
  /** The last lines it wrote to stderr, to explain a failure. */
  stderrTail(): string;
  stop(): Promise<void>;
}

/** Spawns the process and resolves once it says it is listening; rejects with its stderr. */
export async function startListener(spec: ListenerSpec): Promise<Listener> {
  const child = spawn(spec.command, spec.args, {
    cwd: spec.cwd,
    env: { ...process.env, ...spec.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const tail: string[] = [];
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    tail.push(chunk);
    if (tail.length > 20) tail.shift();
  });
  const stderrTail = () => tail.join("").trim().slice(-2000);
  const port = await waitForPort(child, spec, stderrTail);
  // Keep draining stdout so a chatty server never blocks on a full pipe.
  child.stdout?.resume();
  if (child.pid === undefined) throw new Error(`${spec.name}: no pid`);
  return { name: spec.name, pid: child.pid, port, stderrTail, stop: () => stopChild(child) };
}

function waitForPort(child: ChildProcess, spec: ListenerSpec, stderrTail: () => string) {
  return new Promise<number>((resolve, reject) => {
    const timeoutMs = spec.startTimeoutMs ?? 20_000;
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`${spec.name}: ${why}${stderrTail() ? `\n${stderrTail()}` : ""}`));
    };
    const timer = setTimeout(() => fail(`no "listening" line within ${timeoutMs} ms`), timeoutMs);
    child.once("error", (err) => fail(`could not start: ${err.message}`));
    child.once("exit", (code, signal) => fail(`exited early (code ${code}, signal ${signal})`));
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on("line", (line) => {
      const port = listeningPort(line);
      if (port === undefined) return;
      clearTimeout(timer);
      child.removeAllListeners("exit");
      child.removeAllListeners("error");
      lines.close();
      resolve(port);
    });
  });
}

/** The port of a {"msg":"listening","port":N} line, or undefined for any other line. */
export function listeningPort(line: string): number | undefined {
  if (!line.startsWith("{")) return undefined;
  try {
    const parsed = JSON.parse(line) as { msg?: unknown; port?: unknown };
    if (parsed.msg === "listening" && typeof parsed.port === "number") return parsed.port;
  } catch {
    // Not JSON after all: an ordinary log line.
  }
  return undefined;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
  await exited;
  clearTimeout(timer);
}
