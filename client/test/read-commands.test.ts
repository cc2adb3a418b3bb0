import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type RunningServer, startServer } from "@teams/server";
import { runClient } from "./support/run-client.ts";

const tutorialOutput = "Chicago Jackals\nPhiladelphia Foxes\nMiami not a member\n";

describe("client: the tutorial's lookups and ListTeams", () => {
  let server: RunningServer;
  let env: Record<string, string>;

  before(async () => {
    server = await startServer({ port: 0, host: "127.0.0.1", logLevel: "silent" });
    env = { TEAMS_ADDRESS: `127.0.0.1:${server.port}` };
  });
  after(() => server.forceShutdown());

  it("npm run client -- Chicago Philadelphia Miami prints exactly the tutorial's three lines", async () => {
    const run = await runClient(["Chicago", "Philadelphia", "Miami"], { env, viaNpm: true });
    assert.deepEqual(run, { code: 0, stdout: tutorialOutput, stderr: "" });
  });

  it("looks up the tutorial's three cities when given none, and canonicalises a city as asked", async () => {
    assert.equal((await runClient([], { env })).stdout, tutorialOutput);
    assert.equal((await runClient(["  chicago "], { env })).stdout, "Chicago Jackals\n");
  });

  it("list streams the teams under a prefix, in city order, at most --limit", async () => {
    const all = await runClient(["list", "s"], { env });
    assert.equal(all.code, 0);
    const lines = all.stdout.trim().split("\n");
    assert.ok(lines.length >= 2, all.stdout);
    assert.deepEqual(lines, [...lines].sort());
    for (const line of lines) assert.match(line, /^S\S* /i);
    const one = await runClient(
      ["list", "s", "--limit", "1", "--address", env.TEAMS_ADDRESS ?? ""],
      {},
    );
    assert.equal(one.stdout, `${lines[0]}\n`);
  });

  it("a refused request prints the status, the message and each field, and exits 64 + code", async () => {
    const run = await runClient(["list", "x".repeat(200)], { env });
    assert.equal(run.code, 64 + 3);
    assert.equal(run.stdout, "");
    assert.match(run.stderr, /^ListTeams failed: INVALID_ARGUMENT: prefix: must be at most 128/);
    assert.match(run.stderr, /\n {2}field prefix: must be at most 128 characters/);
  });

  it("an unreachable server is UNAVAILABLE with a hint naming the address (exit 78)", async () => {
    const run = await runClient(["Chicago", "--address", "127.0.0.1:1"]);
    assert.equal(run.code, 64 + 14);
    assert.match(run.stderr, /GetTeam failed: UNAVAILABLE: /);
    assert.match(run.stderr, /hint: is the server running at 127\.0\.0\.1:1\?/);
  });

  it("a bad command line exits 2 with the rule and the usage, printing nothing on stdout", async () => {
    const cases: Array<[string[], RegExp]> = [
      [["put", "Chicago"], /put takes CITY NICKNAME, got 1 argument/],
      [["list", "--limit", "many"], /--limit must be a whole number, got "many"/],
      [["Chicago", "--if-version", "3"], /--if-version is for put and delete, not get/],
      [["--colour"], /Unknown option '--colour'/],
      [["import", "/nonexistent/teams.json"], /cannot read \/nonexistent\/teams.json/],
    ];
    for (const [args, message] of cases) {
      const run = await runClient(args, { env });
      assert.equal(run.code, 2, `${args.join(" ")}: ${run.stderr}`);
      assert.equal(run.stdout, "");
      assert.match(run.stderr, message);
    }
  });
});
