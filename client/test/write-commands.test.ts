import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  createWriteAuthorizer,
  type RunningServer,
  readAuthConfig,
  signDevelopmentToken,
  startServer,
} from "@teams/server";
import { runClient, spawnClient } from "./support/run-client.ts";

describe("client: writes with a token, ImportTeams and LookupTeams", () => {
  let server: RunningServer;
  let env: Record<string, string>;
  let token: string;
  let readOnlyToken: string;
  const dir = mkdtempSync(join(tmpdir(), "teams-client-"));

  before(async () => {
    const config = readAuthConfig({ DATA_DIR: dir });
    const authorizer = await createWriteAuthorizer(config);
    // A real SQLite store in a temporary DATA_DIR, seeded with the tutorial's ten teams.
    server = await startServer({
      port: 0,
      host: "127.0.0.1",
      logLevel: "silent",
      authorizer,
      storage: { dataDir: dir },
    });
    env = { TEAMS_ADDRESS: `127.0.0.1:${server.port}` };
    const sign = async (scope: string) =>
      (await signDevelopmentToken(config, { scope, ttl: "5m", sub: "client-test" })).token;
    token = await sign("teams:write");
    readOnlyToken = await sign("teams:read");
  });
  after(() => server.forceShutdown());

  it("put without a token is UNAUTHENTICATED, names the reason and says how to get one (exit 80)", async () => {
    const run = await runClient(["put", "Chicago", "Bears"], { env });
    assert.equal(run.code, 64 + 16);
    assert.match(run.stderr, /^PutTeam failed: UNAUTHENTICATED: missing token/);
    assert.match(run.stderr, /reason TOKEN_MISSING/);
    assert.match(run.stderr, /hint: writes need a token: --token JWT or TEAMS_TOKEN/);
  });

  it("put with a token lacking teams:write is PERMISSION_DENIED (exit 71)", async () => {
    const run = await runClient(["put", "Chicago", "Bears", "--token", readOnlyToken], { env });
    assert.equal(run.code, 64 + 7);
    assert.match(run.stderr, /PERMISSION_DENIED: token lacks the scope teams:write/);
    assert.match(run.stderr, /reason SCOPE_MISSING \S+ required_scope=teams:write/);
  });

  it("put and delete with TEAMS_TOKEN change the team, and --if-version guards them", async () => {
    const withToken = { ...env, TEAMS_TOKEN: token };
    const put = await runClient(["put", "Boston", "Owls"], { env: withToken });
    assert.equal(put.code, 0, put.stderr);
    const [, version] = /^Boston Owls \(version (\d+)\)\n$/.exec(put.stdout) ?? [];
    assert.ok(version, put.stdout);
    assert.equal((await runClient(["boston"], { env })).stdout, "Boston Owls\n");

    const exists = await runClient(["put", "Boston", "Hawks", "--if-version", "0"], {
      env: withToken,
    });
    assert.equal(exists.code, 64 + 6, exists.stderr);
    assert.match(exists.stderr, /PutTeam failed: ALREADY_EXISTS/);

    const stale = await runClient(
      ["delete", "Boston", "--if-version", String(Number(version) + 100)],
      { env: withToken },
    );
    assert.equal(stale.code, 64 + 10, stale.stderr);
    assert.match(stale.stderr, /DeleteTeam failed: ABORTED/);

    const deleted = await runClient(["delete", "boston", "--if-version", version ?? ""], {
      env: withToken,
    });
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.match(deleted.stdout, /^deleted Boston \(version \d+\)\n$/);
    const gone = await runClient(["delete", "Boston"], { env: withToken });
    assert.equal(gone.code, 64 + 5);
  });

  it("a bad nickname prints the field violation (exit 67)", async () => {
    const run = await runClient(["put", "Boston", " "], { env: { ...env, TEAMS_TOKEN: token } });
    assert.equal(run.code, 64 + 3);
    assert.match(run.stderr, /\n {2}field nickname: /);
  });

  it("import streams a JSON array or NDJSON file, then prints the counts and each rejected row", async () => {
    const array = join(dir, "teams.json");
    const rows = [
      { city: "Denver", nickname: "Elks" },
      { city: "Austin", nickname: "" },
      { city: "Reno", nickname: "Rams" },
    ];
    writeFileSync(array, JSON.stringify(rows));
    const first = await runClient(["import", array, "--token", token], { env });
    assert.equal(first.code, 1, first.stderr);
    assert.match(first.stdout, /^created 2, updated 0, unchanged 0, rejected 1 \(version \d+\)\n/);
    assert.match(first.stdout, /\nrejected row 1: nickname: .+\n$/);
    assert.equal(first.stderr, "", "no progress bar when stderr is not a terminal");

    const lines = join(dir, "teams.ndjson");
    writeFileSync(
      lines,
      '{"city":"Denver","nickname":"Elks"}\n\n{"city":"Reno","nickname":"Wolves"}\n',
    );
    const second = await runClient(["import", lines, "--token", token], { env });
    assert.equal(second.code, 0, second.stderr);
    assert.match(
      second.stdout,
      /^created 0, updated 1, unchanged 1, rejected 0 \(version \d+\)\n$/,
    );
  });

  it("import draws a progress bar when stderr is a terminal, and erases it before the counts", async () => {
    const file = join(dir, "tty.ndjson");
    writeFileSync(file, '{"city":"Tulsa","nickname":"Owls"}\n{"city":"Omaha","nickname":"Elks"}\n');
    const run = await runClient(["import", file, "--token", token], { env, terminal: true });
    assert.equal(run.code, 0, run.stdout);
    const eraseLine = "\x1b[K";
    const bar = `\r[${"#".repeat(30)}] 100% 2 rows sent${eraseLine}`;
    assert.ok(run.stdout.includes(`${bar}\r${eraseLine}created 2, updated 0`), run.stdout);
  });

  it("import without a token stops at the server's answer: UNAUTHENTICATED", async () => {
    const file = join(dir, "one.ndjson");
    writeFileSync(file, '{"city":"Denver","nickname":"Elks"}\n');
    const run = await runClient(["import", file], { env });
    assert.equal(run.code, 64 + 16, run.stderr);
    assert.match(run.stderr, /ImportTeams failed: UNAUTHENTICATED/);
  });

  it("lookup answers each stdin city in order, as GetTeam would (an unknown city as asked, trimmed)", async () => {
    const run = await runClient(["lookup"], { env, stdin: "Chicago\n\n  miami \nphiladelphia\n" });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, "Chicago Jackals\nmiami not a member\nPhiladelphia Foxes\n");
  });

  it("lookup prints each answer before the next city is typed (bidi, not batched)", async () => {
    const lookup = spawnClient(["lookup"], { env });
    lookup.child.stdin.write("Chicago\n");
    await lookup.stdoutEndsWith("Chicago Jackals\n");
    lookup.child.stdin.write("Seattle\n");
    await lookup.stdoutEndsWith("Seattle Orcas\n");
    lookup.child.stdin.end();
    assert.deepEqual(await lookup.finished, {
      code: 0,
      stdout: "Chicago Jackals\nSeattle Orcas\n",
      stderr: "",
    });
  });

  it("a city over 128 characters ends lookup with INVALID_ARGUMENT and its index", async () => {
    const run = await runClient(["lookup"], { env, stdin: `Chicago\n${"x".repeat(200)}\nMiami\n` });
    assert.equal(run.code, 64 + 3, run.stderr);
    assert.equal(run.stdout, "Chicago Jackals\n");
    assert.match(run.stderr, /LookupTeams failed: INVALID_ARGUMENT: city: message 1: /);
  });
});
