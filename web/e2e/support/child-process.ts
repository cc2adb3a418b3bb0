import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";

/** A child started in its own process group, so stopping it also stops npm's and tsx's children. */
export interface RunningChild {
  readonly child: ChildProcess;
  /** The stdout line that matched `ready`. */
  readonly readyLine: string;
  /** The last lines it printed, for error messages. */
  output(): string;
  stop(): Promise<void>;
}

const keepLines = 40;
const stopGraceMs = 5_000;

/**
 * Starts `command` and resolves once a line of its stdout matches `ready`. Fails with the
 * child's last output if it exits first or is not ready within `timeoutMs`.
 */
export async function startChild(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; ready: RegExp; timeoutMs?: number },
): Promise<RunningChild> {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const remember = (line: string): void => {
    lines.push(line);
    if (lines.length > keepLines) lines.shift();
  };
  const stdout = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  createInterface({ input: child.stderr as NodeJS.ReadableStream }).on("line", remember);
  const exited = once(child, "exit");
  let readyLine = "";
  const running: RunningChild = {
    child,
    get readyLine() {
      return readyLine;
    },
    output: () => lines.join("\n"),
    stop: () => stopGroup(child, exited),
  };

  const timeoutMs = options.timeoutMs ?? 30_000;
  await new Promise<void>((resolve, reject) => {
    const fail = (why: string): void => {
      clearTimeout(timer);
      reject(new Error(`${command} ${args.join(" ")}: ${why}\n${running.output()}`));
    };
    const timer = setTimeout(() => {
      void running.stop();
      fail(`not ready after ${timeoutMs} ms`);
    }, timeoutMs);
    stdout.on("line", (line) => {
      remember(line);
      if (!readyLine && options.ready.test(line)) {
        readyLine = line;
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code, signal) => fail(`exited (${signal ?? code}) before it was ready`));
  });
  return running;
}

async function stopGroup(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const pid = child.pid;
  const signalGroup = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-pid, signal);
    } catch {
      // Already gone.
    }
  };
  signalGroup("SIGTERM");
  const timer = setTimeout(() => signalGroup("SIGKILL"), stopGraceMs);
  await exited;
  clearTimeout(timer);
  // npm may exit before its grandchildren: make sure none outlives the test.
  signalGroup("SIGKILL");
}
