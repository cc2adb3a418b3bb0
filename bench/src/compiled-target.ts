// A bench target compiled to plain JavaScript, as production runs the server (`node dist/main.js`):
// no tsx, so start-up time and resident memory are the server's own, not the TypeScript loader's
// (tsx's loader thread alone holds some 50 MB). Built once per run with esbuild, the way
// scripts/build-node.ts builds server/dist/main.js: the workspaces compiled in, npm packages imported.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { npmPackagesExternal } from "../../scripts/npm-packages-external.ts";
import { benchFile, benchRoot, repoRoot } from "./paths.ts";
import { type Listener, startListener } from "./spawn-listener.ts";

const built = new Map<string, Promise<string>>();

/**
 * server/dist/bench-<name>.js, built from src/targets/<file> the first time a run asks for it.
 * Beside the server's own dist/main.js, at the depth of server/src/, so the server's paths
 * relative to its module (../data/teams.json, ../../proto) resolve as they do in production.
 */
function compiled(file: string): Promise<string> {
  let outfile = built.get(file);
  if (!outfile) {
    const path = join(repoRoot, "server", "dist", `bench-${file.replace(/\.ts$/, ".js")}`);
    outfile = build({
      entryPoints: [benchFile(`targets/${file}`)],
      outfile: path,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      plugins: [npmPackagesExternal],
      logLevel: "warning",
    }).then(() => path);
    built.set(file, outfile);
  }
  return outfile;
}

/**
 * The node flags of the server image's CMD (server/Dockerfile), e.g. ["--max-semi-space-size=4"]:
 * `CMD ["node", ...flags, "server/dist/main.js"]`. Pure, so test/compiled-target.test.ts pins it.
 */
export function productionNodeFlags(dockerfile: string): string[] {
  const cmd = /^CMD\s+(\[.*\])\s*$/m.exec(dockerfile)?.[1];
  const args = cmd ? (JSON.parse(cmd) as string[]) : [];
  if (args[0] !== "node") throw new Error(`server/Dockerfile: CMD is not ["node", ...]: ${cmd}`);
  return args.slice(1).filter((arg) => arg.startsWith("--"));
}

/** Starts src/targets/<file>, compiled, under plain Node with the server image's node flags. */
export async function startCompiledTarget(
  file: string,
  env: Record<string, string> = {},
  startTimeoutMs?: number,
): Promise<Listener> {
  const dockerfile = readFileSync(join(repoRoot, "server", "Dockerfile"), "utf8");
  return startListener({
    name: `${file} (compiled)`,
    command: process.execPath,
    args: [...productionNodeFlags(dockerfile), await compiled(file)],
    env,
    cwd: benchRoot,
    startTimeoutMs,
  });
}
