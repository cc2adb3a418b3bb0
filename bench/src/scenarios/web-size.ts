// Scenario 6: what the page costs to download: gzip size of each built JavaScript asset.
// The full run builds web/ with its own `build` script into a temp dir (never over a web/dist
// someone else is using); quick mode measures an existing web/dist only.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import type { BenchConfig } from "../config.ts";
import { repoRoot } from "../paths.ts";
import type { WebSize } from "../results.ts";

const run = promisify(execFile);

/** Gzip (level 9, as a CDN would serve it) sizes of every .js file in `assetsDir`. */
export async function gzipSizes(assetsDir: string): Promise<WebSize["files"]> {
  const names = (await readdir(assetsDir)).filter((n) => n.endsWith(".js")).sort();
  return Promise.all(
    names.map(async (name) => {
      const bytes = await readFile(join(assetsDir, name));
      return { name, bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length };
    }),
  );
}

export async function runWebSize(config: BenchConfig): Promise<WebSize> {
  const webPackage = JSON.parse(await readFile(join(repoRoot, "web", "package.json"), "utf8")) as {
    scripts?: Record<string, string>;
  };
  if (config.buildWeb && webPackage.scripts?.build) {
    const outDir = await mkdtemp(join(tmpdir(), "bench-web-"));
    try {
      await run("npm", ["run", "build", "-w", "web", "--", "--outDir", outDir, "--emptyOutDir"], {
        cwd: repoRoot,
        timeout: 300_000,
        maxBuffer: 16 * 1024 * 1024,
      });
      const files = await gzipSizes(join(outDir, "assets"));
      return { files, built: true, note: "built by `npm run build -w web` into a temp dir" };
    } finally {
      await rm(outDir, { recursive: true, force: true });
    }
  }
  const dist = join(repoRoot, "web", "dist", "assets");
  if (!existsSync(dist)) {
    return {
      files: [],
      built: false,
      note: "web/dist does not exist and this mode does not build",
    };
  }
  return { files: await gzipSizes(dist), built: false, note: "measured the existing web/dist" };
}
