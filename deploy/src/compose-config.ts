// `docker-compose config` (Debian's package; no engine needed): the Compose file as Compose
// itself reads it, variables interpolated.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { requireCommand } from "@teams/tools/system-packages";
import { parse } from "yaml";
import type { ComposeFile } from "./compose-checks.ts";

const run = promisify(execFile);

/** Its stdout, or throws with its stderr. The password normally comes from .env. */
export async function composeConfig(
  file: string,
  projectDir: string,
  env: Record<string, string> = { POSTGRES_PASSWORD: "test" },
): Promise<string> {
  try {
    const { stdout } = await run(
      requireCommand("docker-compose"),
      ["-f", file, "--project-directory", projectDir, "config"],
      { env: { ...process.env, COMPOSE_INTERACTIVE_NO_CLI: "1", ...env } },
    );
    return stdout;
  } catch (error) {
    const { stderr } = error as { stderr?: string };
    throw new Error(`docker-compose config refused ${file}:\n${stderr}`);
  }
}

export async function resolvedCompose(
  file: string,
  projectDir: string,
  env?: Record<string, string>,
): Promise<ComposeFile> {
  return parse(await composeConfig(file, projectDir, env)) as ComposeFile;
}
