// Where things are: the repo root, this workspace, and the binaries npm installed.
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** bench/ */
export const benchRoot: string = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** The repository root (proto/, web/, server/ live here). */
export const repoRoot: string = resolve(benchRoot, "..");

/** A binary from the root node_modules/.bin (buf, tsx). */
export function binPath(name: string): string {
  return join(repoRoot, "node_modules", ".bin", name);
}

/** A bench entry file under src/ (targets and load workers run as their own processes). */
export function benchFile(relative: string): string {
  return join(benchRoot, "src", relative);
}
