// `npm start`'s server (src/main.ts) checks write tokens: the development key when no
// AUTH_* is set, an identity provider's key set file when AUTH_JWKS_FILE is.
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { Metadata, status } from "@grpc/grpc-js";
import { readAuthConfig } from "../../src/auth/auth-config.ts";
import { signDevelopmentToken } from "../../src/auth/development-token.ts";
import { errorInfoOf } from "../../src/rich-error.ts";
import {
  killServerProcesses,
  runFailingStart,
  startServerProcess,
} from "../support/server-process.ts";
import { teamsClient } from "../support/teams-client.ts";
import { failureOf, putTeam } from "../support/write-calls.ts";
import { jwksOf, makeKey, sign } from "./test-keys.ts";

after(killServerProcesses);

function bearer(token: string): Metadata {
  const metadata = new Metadata();
  metadata.set("authorization", `Bearer ${token}`);
  return metadata;
}

describe("server process: write tokens", () => {
  it("with no AUTH_*, makes and trusts a development key, says so once, and never logs a token", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "teams-data-"));
    const server = await startServerProcess({ DATA_DIR: dataDir, LOG_FORMAT: "json" });
    const client = teamsClient(server.port);
    try {
      const notices = server.logs.filter((line) => /development key/.test(String(line.msg)));
      assert.equal(notices.length, 1);
      assert.equal(notices[0]?.key, join(dataDir, "dev-signing-key.jwk.json"));

      const config = readAuthConfig({ DATA_DIR: dataDir });
      const sign = (scope: string) =>
        signDevelopmentToken(config, { scope, ttl: "5m", sub: "dev" });
      const write = { city: "Boston", nickname: "Owls" };
      const missing = await failureOf(putTeam(client, write, new Metadata()));
      assert.equal(missing.code, status.UNAUTHENTICATED);
      assert.equal(errorInfoOf(missing.metadata)?.reason, "TOKEN_MISSING");
      const { token: readOnly } = await sign("teams:read");
      const denied = await failureOf(putTeam(client, write, bearer(readOnly)));
      assert.equal(denied.code, status.PERMISSION_DENIED);
      const { token } = await sign("teams:write");
      const written = await putTeam(client, write, bearer(token));
      assert.equal(written.nickname, "Owls");
      const logLine = await server.waitForLog((line) => line.msg === "write");
      assert.equal(logLine.subject, "dev", "each write is logged with the token's subject");
      const logged = JSON.stringify(server.logs);
      for (const secret of [token, readOnly])
        assert.ok(!logged.includes(secret), "a token was logged");
    } finally {
      client.close();
      server.child.kill("SIGKILL");
    }
  });

  it("with AUTH_JWKS_FILE, trusts that key set's issuer and audience only", async () => {
    const dir = mkdtempSync(join(tmpdir(), "teams-jwks-"));
    const key = await makeKey();
    writeFileSync(join(dir, "jwks.json"), JSON.stringify(jwksOf(key)));
    const server = await startServerProcess({
      AUTH_JWKS_FILE: join(dir, "jwks.json"),
      AUTH_ISSUER: "https://id.teams.example",
      AUTH_AUDIENCE: "teams-api",
    });
    const client = teamsClient(server.port);
    try {
      const write = { city: "Boston", nickname: "Owls" };
      const wrongAudience = await sign(key, { claims: { aud: "teams" } });
      const refused = await failureOf(putTeam(client, write, bearer(wrongAudience)));
      assert.equal(errorInfoOf(refused.metadata)?.reason, "TOKEN_AUDIENCE_INVALID");
      const past = await putTeam(client, write, bearer(await sign(key))).then(
        () => status.OK,
        (error: { code: status }) => error.code,
      );
      assert.notEqual(past, status.UNAUTHENTICATED);
    } finally {
      client.close();
      server.child.kill("SIGKILL");
    }
  });

  it("refuses to start on half an identity provider configuration, naming the variable", async () => {
    const failed = await runFailingStart({ AUTH_JWKS_URL: "https://id.example/jwks" });
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /cannot start: AUTH_ISSUER must be set with AUTH_JWKS_URL/);
  });
});
