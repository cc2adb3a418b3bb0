// Builds what a Dockerfile describes without a Docker engine: each stage becomes a folder
// standing for its root filesystem, COPY copies from the build context (minus .dockerignore)
// or from an earlier stage, RUN runs its command there with the stage's ENV, and the final
// stage's WORKDIR, ENV, USER and CMD are returned to start it. The base images' own files are
// not there: commands run with this machine's node and npm.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { cp, mkdir, readFile, stat } from "node:fs/promises";
import { basename, join, posix, relative } from "node:path";
import { promisify } from "node:util";
import { dockerfileStages, type Stage } from "./compose-checks.ts";

const run = promisify(execFile);

export interface AssembledImage {
  /** The final stage's root filesystem on this machine. */
  root: string;
  workdir: string;
  env: Record<string, string>;
  user?: string;
  cmd?: string[];
}

interface StageState extends AssembledImage {
  key: string;
}

export interface AssembleOptions {
  /** The Dockerfile's text (a broken copy in tests). */
  dockerfile: string;
  /** The build context: the repo root. */
  context: string;
  /** Where the stages' folders go. */
  workDir: string;
  /** npm's cache for RUN steps (a Dockerfile's `npm cache clean` must not empty the user's). */
  npmCache: string;
}

/** Stages already built in this process, by their instructions and parents: a broken copy of
 * a Dockerfile rebuilds only from the first stage it changes. */
const built = new Map<string, StageState>();

/** `.dockerignore` patterns as a test on context-relative paths (`**\/x`, `x`, `a/b`). */
async function dockerignore(context: string): Promise<(path: string) => boolean> {
  const text = await readFile(join(context, ".dockerignore"), "utf8").catch(() => "");
  const patterns = text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"));
  return (path) =>
    patterns.some((pattern) => {
      if (!pattern.startsWith("**/")) return path === pattern || path.startsWith(`${pattern}/`);
      const name = pattern.slice(3);
      return name.startsWith("*")
        ? posix.basename(path).endsWith(name.slice(1))
        : path.split("/").includes(name);
    });
}

/** Words of an instruction: JSON form (`["a", "b"]`) or whitespace-separated. */
function words(rest: string): string[] {
  return rest.startsWith("[") ? (JSON.parse(rest) as string[]) : rest.split(/\s+/).filter(Boolean);
}

async function copy(
  state: StageState,
  rest: string,
  options: AssembleOptions,
  ignored: (path: string) => boolean,
) {
  const parts = words(rest);
  const from = parts
    .find((part) => part.startsWith("--from="))
    ?.slice(7)
    .toLowerCase();
  const paths = parts.filter((part) => !part.startsWith("--"));
  const dest = paths.pop() ?? ".";
  const target = posix.resolve(state.workdir, dest);
  const source = from ? built.get(from)?.root : options.context;
  if (!source) throw new Error(`COPY --from=${from}: no such stage before it`);
  for (const path of paths) {
    const sourcePath = join(source, path);
    const isDirectory = (await stat(sourcePath).catch(() => undefined))?.isDirectory();
    if (isDirectory === undefined)
      throw new Error(`COPY ${path}: not found in ${from ? `stage ${from}` : "the build context"}`);
    const into =
      isDirectory || (!dest.endsWith("/") && paths.length === 1)
        ? target
        : posix.join(target, basename(path));
    await mkdir(join(state.root, posix.dirname(into)), { recursive: true });
    await cp(sourcePath, join(state.root, into), {
      recursive: true,
      filter: from ? undefined : (file) => !ignored(relative(options.context, file)),
    });
  }
}

async function runStep(state: StageState, command: string, options: AssembleOptions) {
  const cwd = join(state.root, state.workdir);
  await mkdir(cwd, { recursive: true });
  try {
    await run("bash", ["-c", command], {
      cwd,
      maxBuffer: 64 << 20,
      env: {
        PATH: process.env.PATH ?? "",
        // The user's npm settings (e.g. nodedir for node-gyp), but the test's own cache.
        HOME: process.env.HOME ?? options.workDir,
        npm_config_cache: options.npmCache,
        ...state.env,
      },
    });
  } catch (error) {
    const { stderr = "" } = error as { stderr?: string };
    throw new Error(`RUN ${command}\n  failed: ${stderr.split("\n").slice(-15).join("\n")}`);
  }
}

async function buildStage(
  stage: Stage,
  index: number,
  parentKey: string,
  options: AssembleOptions,
  ignored: (path: string) => boolean,
): Promise<StageState> {
  const parent = built.get(stage.image.toLowerCase());
  const key = createHash("sha256")
    .update([parent?.key ?? stage.image, parentKey, ...stage.instructions].join("\n"))
    .digest("hex")
    .slice(0, 16);
  const cached = built.get(key);
  if (cached) {
    if (stage.name) built.set(stage.name, cached);
    return cached;
  }
  const root = join(options.workDir, `stage-${index}-${key}`);
  if (parent) await run("cp", ["-a", parent.root, root]);
  else await mkdir(root, { recursive: true });
  const state: StageState = {
    key,
    root,
    workdir: parent?.workdir ?? "/",
    env: { ...parent?.env },
    user: parent?.user,
    cmd: parent?.cmd,
  };
  for (const line of stage.instructions) {
    const [instruction = "", ...restWords] = line.split(/\s+/);
    const rest = line.slice(instruction.length).trim();
    switch (instruction.toUpperCase()) {
      case "WORKDIR":
        state.workdir = posix.resolve(state.workdir, rest);
        await mkdir(join(root, state.workdir), { recursive: true });
        break;
      case "ENV":
        for (const match of rest.matchAll(/(\w+)=("[^"]*"|\S+)/g))
          state.env[match[1] ?? ""] = (match[2] ?? "").replace(/^"|"$/g, "");
        break;
      case "COPY":
        await copy(state, rest, options, ignored);
        break;
      case "RUN":
        await runStep(state, rest, options);
        break;
      case "USER":
        state.user = restWords[0];
        break;
      case "CMD":
        state.cmd = words(rest);
        break;
    }
  }
  built.set(key, state);
  if (stage.name) built.set(stage.name, state);
  return state;
}

/** Builds every stage in order; returns the final one. */
export async function assembleImage(options: AssembleOptions): Promise<AssembledImage> {
  const ignored = await dockerignore(options.context);
  let last: StageState | undefined;
  const stages = dockerfileStages(options.dockerfile);
  for (const [index, stage] of stages.entries())
    last = await buildStage(stage, index, last?.key ?? "", options, ignored);
  if (!last) throw new Error("the Dockerfile has no FROM");
  return last;
}
