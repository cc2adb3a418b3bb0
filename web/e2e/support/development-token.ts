import { execFileSync } from "node:child_process";
import { repoRoot } from "./teams-stack.ts";

/**
 * A write token from the server's development key in `dataDir` (`npm run -s token`), as a
 * developer gets one to paste into the page's sign-in dialog.
 */
export function developmentToken(dataDir: string): string {
  return execFileSync("npm", ["run", "-s", "token"], {
    cwd: repoRoot,
    env: { ...process.env, DATA_DIR: dataDir },
    encoding: "utf8",
    timeout: 60_000,
  }).trim();
}
