import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** The page's sources: a change to any of them makes web/dist stale. */
const sources = ["src", "index.html", "vite.config.ts", "vite-plugins", "package.json"];

/**
 * Returns web/dist, building it first (`npm run build -w web`) unless it is newer than every
 * source, so a run of the whole suite builds the page at most once.
 */
export function builtPage(repoRoot: string): string {
  const webRoot = join(repoRoot, "web");
  const dist = join(webRoot, "dist");
  const builtAt = mtime(join(dist, "index.html"));
  const changedAt = Math.max(...sources.map((source) => newestMtime(join(webRoot, source))));
  if (builtAt > changedAt) return dist;
  const build = spawnSync("npm", ["run", "build", "-w", "web"], {
    cwd: repoRoot,
    encoding: "utf8",
    timeout: 180_000,
  });
  if (build.status !== 0) {
    throw new Error(`npm run build -w web failed:\n${build.stdout}\n${build.stderr}`);
  }
  return dist;
}

function mtime(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(
    stat.mtimeMs,
    ...readdirSync(path).map((entry) => newestMtime(join(path, entry))),
  );
}
