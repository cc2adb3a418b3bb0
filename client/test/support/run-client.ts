// Runs the command-line client as a child process, the way a user does, and
// collects what it printed and its exit code.
import { spawn } from "node:child_process";
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
};

export async function runClient(args: string[], options: RunOptions = {}): Promise<ClientRun> {
  const [command, prefix] = options.viaNpm
    ? ["npm", ["run", "-s", "client", "--"]]
    : [process.execPath, ["--import", "tsx", main]];
  const child = spawn(command, [...prefix, ...args], {
    cwd: repoRoot,
    env: { ...process.env, TEAMS_ADDRESS: "", TEAMS_TOKEN: "", ...options.env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdin.end(options.stdin ?? "");
  const [code] = (await once(child, "close")) as [number | null];
  return { code, stdout, stderr };
}
