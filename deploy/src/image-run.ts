// Runs an assembled image's CMD (or any command in it) on this machine as a container would:
// in its WORKDIR, with its ENV and the Compose environment, and as an unprivileged user when
// the image's USER is not root, so a file the image cannot read or write shows up.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { promisify } from "node:util";
import type { AssembledImage } from "./image-assembly.ts";
import { waitForPort } from "./wait-for-port.ts";

const run = promisify(execFile);

export interface RunningContainer {
  output(): string;
  /** SIGTERM, then its exit code. */
  stop(): Promise<number | null>;
}

/** Who the image's USER stands for here: `nobody` when we are root and the image is not. */
export async function containerIds(image: AssembledImage): Promise<{ uid?: number; gid?: number }> {
  if (process.getuid?.() !== 0 || !image.user || image.user === "root" || image.user === "0")
    return {};
  const [uid, gid] = await Promise.all(
    ["-u", "-g"].map(async (flag) => Number((await run("id", [flag, "nobody"])).stdout.trim())),
  );
  return { uid, gid };
}

function options(image: AssembledImage, env: Record<string, string>) {
  return {
    cwd: join(image.root, image.workdir),
    env: { PATH: process.env.PATH ?? "", ...image.env, ...env },
  };
}

/** Starts the CMD; resolves once it listens on `port`, rejects with its output if it exits. */
export async function startContainer(
  image: AssembledImage,
  env: Record<string, string>,
  port: number,
): Promise<RunningContainer> {
  const [command, ...args] = image.cmd ?? [];
  if (!command) throw new Error("the image has no CMD");
  const child: ChildProcess = spawn(command, args, {
    ...options(image, env),
    ...(await containerIds(image)),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  const exited = once(child, "exit") as Promise<[number | null]>;
  await waitForPort(
    port,
    exited,
    () => new Error(`${image.cmd?.join(" ")} exited before it listened:\n${output}`),
  );
  return {
    output: () => output,
    stop: async () => {
      child.kill("SIGTERM");
      return (await exited)[0];
    },
  };
}

/** Runs a command in the image (a health check); its exit code and output. */
export async function execInContainer(
  image: AssembledImage,
  argv: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; output: string }> {
  const [command = "", ...args] = argv;
  try {
    const { stdout, stderr } = await run(command, args, {
      ...options(image, env),
      ...(await containerIds(image)),
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const {
      code,
      stdout = "",
      stderr = "",
    } = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof code === "number" ? code : -1, output: stdout + stderr };
  }
}
