import assert from "node:assert/strict";
import { once } from "node:events";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { credentials, status } from "@grpc/grpc-js";
import { ListTeamsRequest, type TeamResponse, TeamsClient } from "../src/gen/teams.ts";
import { listPageSize } from "../src/store/team-store.ts";
import {
  killServerProcesses,
  runFailingStart,
  startServerProcess,
} from "./support/server-process.ts";
import { getTeam, getTeamError, teamsClient } from "./support/teams-client.ts";
import { generatedTeams, tempDir, writeTeamsFile } from "./support/teams-files.ts";

const temp = tempDir();
after(() => {
  killServerProcesses();
  temp.cleanup();
});
const teamCount = 50_000;
const bigFile = writeTeamsFile(temp.dir, "teams-50k.json", generatedTeams(teamCount));

// Each test bounds itself: a regression fails here instead of hanging the whole run.
describe("the server process (src/main.ts)", { timeout: 60_000 }, () => {
  it("logs a startup line, then one JSON line per call with method, code, peer, user agent and city", async () => {
    const server = await startServerProcess();
    const client = new TeamsClient(`127.0.0.1:${server.port}`, credentials.createInsecure(), {
      "grpc.primary_user_agent": "teams-test/1.0",
    });
    try {
      const listening = await server.waitForLog((line) => line.msg === "listening");
      assert.deepEqual(Object.keys(listening).sort(), [
        "host",
        "level",
        "msg",
        "port",
        "store",
        "time",
        "tls",
      ]);
      assert.equal(listening.store, "sqlite");
      await getTeam(client, "Chicago");
      await getTeamError(client, " ");
      const ok = await server.waitForLog((line) => line.msg === "call" && line.code === "OK");
      assert.equal(ok.level, "info");
      assert.equal(ok.method, "/Teams/GetTeam");
      assert.equal(ok.city, "Chicago");
      assert.equal(typeof ok.durationMs, "number");
      assert.match(String(ok.peer), /127\.0\.0\.1:\d+/);
      assert.match(String(ok.userAgent), /^teams-test\/1\.0 grpc-node-js\//);
      const bad = await server.waitForLog(
        (line) => line.msg === "call" && line.code === "INVALID_ARGUMENT",
      );
      assert.equal(bad.level, "warn");
      assert.equal(bad.city, " ");
    } finally {
      client.close();
      server.child.kill("SIGTERM");
      assert.equal(await server.exited, 0);
    }
  });

  it("streams a ListTeams limit that ends inside a later page, in city order", async () => {
    const server = await startServerProcess({ TEAMS_FILE: bigFile });
    const client = teamsClient(server.port);
    try {
      const limit = listPageSize * 2 + 7;
      const cities: string[] = [];
      const call = client.ListTeams(new ListTeamsRequest({ prefix: "city", limit }));
      for await (const team of call as AsyncIterable<TeamResponse>) cities.push(team.city);
      assert.deepEqual(
        cities,
        generatedTeams(limit).map((team) => team.city),
      );
    } finally {
      client.close();
      server.child.kill("SIGTERM");
      await server.exited;
    }
  });

  it("stops streaming as soon as a ListTeams call is cancelled, and logs CANCELLED", async () => {
    const server = await startServerProcess({ TEAMS_FILE: bigFile });
    const client = teamsClient(server.port);
    try {
      const call = client.ListTeams(new ListTeamsRequest({ prefix: "" }));
      call.on("error", () => {}); // ends with CANCELLED, as asked
      await once(call, "data");
      // Not reading any further: without backpressure the server would write all
      // 50,000 teams at once; with it, it waits for the client, which now cancels.
      call.pause();
      call.cancel();
      const line = await server.waitForLog((log) => log.method === "/Teams/ListTeams");
      assert.equal(line.code, "CANCELLED");
      assert.equal(line.level, "warn");
      assert.match(String(line.peer), /127\.0\.0\.1:\d+/);
      assert.ok(
        (line.sent as number) < teamCount,
        `sent ${line.sent} of ${teamCount} before stopping`,
      );
    } finally {
      client.close();
      server.child.kill("SIGTERM");
      assert.equal(await server.exited, 0);
    }
  });

  it("on SIGTERM lets an in-flight stream finish, refuses new calls and exits 0", async () => {
    const server = await startServerProcess({ TEAMS_FILE: bigFile });
    const streaming = teamsClient(server.port);
    const latecomer = teamsClient(server.port);
    try {
      const call = streaming.ListTeams(new ListTeamsRequest({ prefix: "" }));
      const received: TeamResponse[] = [];
      const ended = new Promise<void>((resolve, reject) => {
        call.on("end", resolve);
        call.on("error", reject);
      });
      const [first] = (await once(call, "data")) as [TeamResponse];
      received.push(first);
      call.pause(); // keep the call in flight while the server is told to stop

      server.child.kill("SIGTERM");
      await server.waitForLog((line) => line.msg === "draining");
      const refused = await getTeamError(latecomer, "Chicago");
      assert.equal(refused.code, status.UNAVAILABLE);

      call.on("data", (team: TeamResponse) => received.push(team));
      call.resume();
      await ended;
      assert.equal(received.length, teamCount);
      assert.equal(received.at(-1)?.city, `City ${String(teamCount).padStart(7, "0")}`);
      assert.equal(await server.exited, 0);
      assert.ok(server.logs.some((line) => line.msg === "stopped"));
    } finally {
      streaming.close();
      latecomer.close();
      server.child.kill("SIGKILL");
    }
  });

  it("refuses a bad teams file at start with its line and reason, exiting non-zero", async () => {
    const path = join(temp.dir, "teams.json");
    writeFileSync(
      path,
      `[\n  {"city": "Chicago", "nickname": "Jackals"},\n  {"city": "Detroit"}\n]\n`,
    );
    const { code, stderr } = await runFailingStart({ TEAMS_FILE: path });
    assert.equal(code, 1);
    assert.equal(
      stderr.trim(),
      `cannot start: ${path}:3: entry 2: "nickname" must be a non-empty string`,
    );
  });

  it("refuses a bad environment variable, naming it", async () => {
    const { code, stderr } = await runFailingStart({ GRPC_PORT: "http" });
    assert.equal(code, 1);
    assert.equal(
      stderr.trim(),
      'cannot start: GRPC_PORT must be a whole number from 0 to 65535, got "http"',
    );
  });
});
