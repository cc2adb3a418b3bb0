import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { status } from "@grpc/grpc-js";
import { readAuthConfig } from "../../src/auth/auth-config.ts";
import { developmentKeyFile, loadOrCreateDevelopmentKey } from "../../src/auth/development-key.ts";
import { signDevelopmentToken } from "../../src/auth/development-token.ts";
import { createWriteAuthorizer } from "../../src/auth/jwt-write-authorizer.ts";
import { Logger } from "../../src/logger.ts";
import { expectRejection } from "./expect-rejection.ts";
import { withAuthorization } from "./test-keys.ts";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const jwtLine = /^[\w-]+\.[\w-]+\.[\w-]+\n$/;
const run = promisify(execFile);

function developmentConfig() {
  return readAuthConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), "teams-data-")) });
}

describe("development key", () => {
  it("is made once in DATA_DIR with file mode 0600, and kept", async () => {
    const dir = mkdtempSync(join(tmpdir(), "teams-data-"));
    const made = await loadOrCreateDevelopmentKey(join(dir, "fresh"));
    assert.equal(made.created, true);
    assert.equal(statSync(made.path).mode & 0o777, 0o600);
    const again = await loadOrCreateDevelopmentKey(join(dir, "fresh"));
    assert.equal(again.created, false);
    assert.equal(again.privateJwk.kid, made.privateJwk.kid);
    assert.ok(
      !("d" in (again.jwks.keys[0] ?? {})),
      "the trusted key set holds the public half only",
    );
  });

  it("is narrowed back to 0600 when found readable by others", async () => {
    const dir = mkdtempSync(join(tmpdir(), "teams-data-"));
    const { path } = await loadOrCreateDevelopmentKey(dir);
    chmodSync(path, 0o644);
    await loadOrCreateDevelopmentKey(dir);
    assert.equal(statSync(path).mode & 0o777, 0o600);
  });

  it("a damaged key file stops the start with what to do, never its contents", async () => {
    const dir = mkdtempSync(join(tmpdir(), "teams-data-"));
    writeFileSync(join(dir, developmentKeyFile), '{"d": "secret-bits"');
    await assert.rejects(loadOrCreateDevelopmentKey(dir), (error: Error) => {
      assert.match(error.message, /is not a private JWK with a kid; delete it/);
      assert.ok(!error.message.includes("secret-bits"));
      return true;
    });
  });

  it("two starts at once agree on one key", async () => {
    const dir = mkdtempSync(join(tmpdir(), "teams-data-"));
    const keys = await Promise.all([1, 2, 3].map(() => loadOrCreateDevelopmentKey(dir)));
    assert.equal(new Set(keys.map((key) => key.privateJwk.kid)).size, 1);
  });

  it("is trusted by the server's authorizer, which logs one line saying so", async () => {
    const config = developmentConfig();
    const lines: string[] = [];
    const logger = new Logger("info", (line) => lines.push(line));
    const authorizer = await createWriteAuthorizer(config, { logger });
    assert.equal(lines.length, 1);
    assert.match(lines[0] ?? "", /development key.*npm run token/);
    const { token } = await signDevelopmentToken(config, {
      scope: "teams:write",
      ttl: "1h",
      sub: "dev",
    });
    assert.deepEqual(await authorizer.authorize(withAuthorization(`Bearer ${token}`)), {
      subject: "dev",
    });
    const noScope = await signDevelopmentToken(config, { scope: "", ttl: "1h", sub: "dev" });
    const call = authorizer.authorize(withAuthorization(`Bearer ${noScope.token}`));
    await expectRejection(call, status.PERMISSION_DENIED, "SCOPE_MISSING", [noScope.token]);
  });
});

describe("npm run token", () => {
  it("prints exactly one JWT line that the server's authorizer accepts", async () => {
    const env = { ...process.env, DATA_DIR: mkdtempSync(join(tmpdir(), "teams-data-")) };
    const { stdout } = await run("npm", ["run", "-s", "token", "--", "--sub", "carol"], {
      cwd: repoRoot,
      env,
    });
    assert.match(stdout, jwtLine);
    const authorizer = await createWriteAuthorizer(readAuthConfig(env));
    const caller = await authorizer.authorize(withAuthorization(`Bearer ${stdout.trim()}`));
    assert.deepEqual(caller, { subject: "carol" });
    const keyFile = readFileSync(join(env.DATA_DIR, developmentKeyFile), "utf8");
    assert.ok(!stdout.includes(JSON.parse(keyFile).d), "the private key never reaches stdout");
  });

  it("takes --scope and --ttl; a bad --ttl exits 2 with the rule on stderr", async () => {
    const env = { ...process.env, DATA_DIR: mkdtempSync(join(tmpdir(), "teams-data-")) };
    const { stdout } = await run(
      "npm",
      ["run", "-s", "token", "--", "--scope", "teams:read", "--ttl", "5m"],
      { cwd: repoRoot, env },
    );
    const claims = JSON.parse(Buffer.from(stdout.split(".")[1] ?? "", "base64url").toString());
    assert.equal(claims.scope, "teams:read");
    assert.equal(claims.exp - claims.iat, 300);
    const failed = await run("npm", ["run", "-s", "token", "--", "--ttl", "soon"], {
      cwd: repoRoot,
      env,
    }).then(
      () => assert.fail("a bad --ttl must fail"),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    assert.equal(failed.code, 2);
    assert.equal(failed.stdout, "");
    assert.match(failed.stderr, /ttl must be a time span such as 1h/);
  });
});
