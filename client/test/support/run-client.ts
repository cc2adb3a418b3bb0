// Runs the command-line client as a child process, the way a user does, and
// collects what it printed and its exit code.
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const main = fileURLToPath(new URL("../../src/main.ts", import.meta.url));

export type ClientRun = { code: number | null; stdout: string; stderr: string };

export type RunOptions = {
  env?: Record<string, string>;
  /** Written to stdin, which is then closed. */
  stdin?: string;
  /** `npm run -s client --` instead of node directly. */
  viaNpm?: boolean;
  /** On a pseudo-terminal (util-linux `script`): stdout and stderr arrive merged on stdout. */
  terminal?: boolean;
};

export type RunningClient = {
  child: ChildProcessWithoutNullStreams;
  /** Resolves once stdout so far ends with `text` (waits for it, no sleeping). */
  stdoutEndsWith(text: string): Promise<void>;
  /** Resolves when the process has exited and its output is all read. */
  finished: Promise<ClientRun>;
};

/** Starts the client; the caller writes its stdin and waits on its output. */
export function spawnClient(args: string[], options: RunOptions = {}): RunningClient {
  const [command, prefix] = options.viaNpm
    ? ["npm", ["run", "-s", "client", "--"]]
    : [process.execPath, ["--import", "tsx", main]];
  const argv = [command, ...prefix, ...args];
  const [file, ...fileArgs] = options.terminal
    ? ["script", "-qec", argv.map(shellQuote).join(" "), "/dev/null"]
    : argv;
  const child = spawn(file ?? command, fileArgs, {
    cwd: repoRoot,
    env: { ...process.env, TEAMS_ADDRESS: "", TEAMS_TOKEN: "", ...options.env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  const output = { stdout: "", stderr: "" };
  child.stdout.on("data", (chunk: Buffer) => {
    output.stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    output.stderr += chunk.toString();
  });
  const finished = once(child, "close").then(([code]) => ({
    code: code as number | null,
    ...output,
  }));
  const stdoutEndsWith = async (text: string): Promise<void> => {
    while (!output.stdout.endsWith(text)) {
      const exited = child.exitCode !== null || child.signalCode !== null;
      if (exited)
        throw new Error(`client exited; stdout: ${output.stdout}, stderr: ${output.stderr}`);
      await Promise.race([once(child.stdout, "data"), finished]);
    }
  };
  return { child, stdoutEndsWith, finished };
}

function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

export async function runClient(args: string[], options: RunOptions = {}): Promise<ClientRun> {
  const running = spawnClient(args, options);
  running.child.stdin.end(options.stdin ?? "");
  return running.finished;
}
