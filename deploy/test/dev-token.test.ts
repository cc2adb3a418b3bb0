// `npm run -s dev-token -w deploy`: the Compose stack's development key pair and token.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { promisify } from "node:util";
import { createLocalJWKSet, jwtVerify } from "jose";
import { repoPath } from "../src/stack-files.ts";

const run = promisify(execFile);

describe("deploy/scripts/dev-token.ts", () => {
  let dir = "";
  after(() => rm(dir, { recursive: true, force: true }));

  async function token(...args: string[]): Promise<string> {
    const script = repoPath("deploy/scripts/dev-token.ts");
    const { stdout } = await run(
      process.execPath,
      ["--import", "tsx", script, "--dir", dir, ...args],
      {
        env: { ...process.env, AUTH_ISSUER: "teams-test", AUTH_AUDIENCE: "teams" },
      },
    );
    return stdout.trim();
  }

  it("prints only a token that the JWKS it wrote verifies, and keeps the private key 0600", async () => {
    dir = await mkdtemp(join(tmpdir(), "teams-dev-jwks-"));
    const first = await token("--scope", "teams:write", "--ttl", "5m");
    assert.match(first, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    const jwks = createLocalJWKSet(JSON.parse(await readFile(join(dir, "jwks.json"), "utf8")));
    const { payload } = await jwtVerify(first, jwks, { issuer: "teams-test", audience: "teams" });
    assert.equal(payload.scope, "teams:write");
    assert.equal((payload.exp ?? 0) - (payload.iat ?? 0), 300);
    assert.equal((await stat(join(dir, "dev-signing-key.jwk.json"))).mode & 0o777, 0o600);
    const jwksText = await readFile(join(dir, "jwks.json"), "utf8");
    assert.doesNotMatch(jwksText, /"d":/, "jwks.json holds no private key material");
    // A second token reuses the same key pair: Compose's mounted JWKS stays valid.
    await jwtVerify(await token(), jwks, { issuer: "teams-test", audience: "teams" });
  });
});
