// `npm start` (gateway/src/stack.ts) as a child process of a test: started directly with
// node, through the real `npm start`, or in a pseudo-terminal (util-linux `script`), with
// its output collected and helpers to wait for a line or a condition.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const stackScript = join(repoRoot, "gateway/src/stack.ts");

export type StackProcess = {
  readonly child: ChildProcess;
  output(): string;
  /** Resolves once the output contains `text`; fails if the stack exits first. */
  waitFor(text: string, timeoutMs?: number): Promise<void>;
};

export type StackLaunch = "node" | "npm start" | "terminal";

/** A web root with one tiny page, so no test waits for the real page build. */
export function tinyWebRoot(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), "stack-web-"));
  writeFileSync(join(dir, "index.html"), "<!doctype html><title>Teams</title>");
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

const running: ChildProcess[] = [];

/** SIGKILLs every stack a test left running (call it in `after`). */
export function killStacks(): void {
  for (const child of running)
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
}

export function runStack(env: Record<string, string>, launch: StackLaunch = "node"): StackProcess {
  if (launch === "terminal" && spawnSync("script", ["--version"]).error) {
    throw new Error("`script` not found: apt-get install bsdutils (it gives the test a terminal)");
  }
  const [command, args] =
    launch === "node"
      ? [process.execPath, ["--import", "tsx", stackScript]]
      : launch === "npm start"
        ? ["npm", ["start"]]
        : ["script", ["-qfec", "npm start", "/dev/null"]];
  const child = spawn(command, args, {
    cwd: repoRoot,
    env: { ...process.env, SKIP_WEB_BUILD: "1", LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    // `npm start` in a process group of its own, so a test can Ctrl-C it as a terminal does.
    detached: launch === "npm start",
  });
  running.push(child);
  let output = "";
  const collect = (chunk: Buffer): void => {
    output += chunk.toString();
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  return {
    child,
    output: () => output,
    async waitFor(text, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (!output.includes(text)) {
        if (child.exitCode !== null) throw new Error(`stack exited early:\n${output}`);
        if (Date.now() > deadline)
          throw new Error(`no "${text}" within ${timeoutMs / 1000} s:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
}

/** The pids whose parent is `pid` and whose command line contains `match` (Linux /proc). */
export function childPids(pid: number, match = ""): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Field 4 of stat is the parent pid; the command name (field 2) may contain spaces.
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8").replaceAll("\0", " ");
      if (parent === pid && cmdline.includes(match)) found.push(Number(entry));
    } catch {} // the process ended while we looked
  }
  return found;
}

/** Polls until `condition()` resolves true; fails after `timeoutMs` with `what`. */
export async function until(
  condition: () => Promise<boolean> | boolean,
  what: string,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs / 1000} s: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
