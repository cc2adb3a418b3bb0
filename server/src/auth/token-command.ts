// `npm run token [-- --scope S --ttl 1h --sub NAME]`: prints a development token on
// stdout and nothing else, so `TOKEN=$(npm run -s token)` works. Errors go to stderr.
import { parseArgs } from "node:util";
import { ConfigError } from "../config.ts";
import { readAuthConfig } from "./auth-config.ts";
import { signDevelopmentToken } from "./development-token.ts";
import { writeScope } from "./jwt-write-authorizer.ts";

const usage = `usage: npm run -s token -- [--scope "${writeScope}"] [--ttl 1h] [--sub developer]`;

async function main(): Promise<number> {
  let values: { scope: string; ttl: string; sub: string };
  try {
    ({ values } = parseArgs({
      options: {
        scope: { type: "string", default: writeScope },
        ttl: { type: "string", default: "1h" },
        sub: { type: "string", default: "developer" },
      },
    }) as { values: typeof values });
  } catch (error) {
    process.stderr.write(`token: ${(error as Error).message}\n${usage}\n`);
    return 2;
  }
  try {
    const { token, keyCreated, keyPath } = await signDevelopmentToken(
      readAuthConfig(process.env),
      values,
    );
    if (keyCreated) process.stderr.write(`token: made a development key in ${keyPath}\n`);
    process.stdout.write(`${token}\n`);
    return 0;
  } catch (error) {
    const known = error instanceof ConfigError || error instanceof TypeError;
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`token: ${message}\n${usage}\n`);
    return known ? 2 : 1;
  }
}

main().then((code) => {
  process.exitCode = code;
});
