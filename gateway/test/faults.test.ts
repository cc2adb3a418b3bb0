// Faults a deployment meets: the server killed mid-stream, a server restart behind a
// live gateway (GOAWAY), and SIGTERM to the gateway itself. Real Teams servers and
// gateways on loopback; the processes that get signals are child processes.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { ListTeamsRequest, TeamRequest, TeamResponse } from "@teams/web/gen";
import type { Logger } from "../src/logger.ts";
import { eventually } from "./support/eventually.ts";
import { killGatewayProcesses, startGatewayProcess } from "./support/gateway-process.ts";
import { callGrpcWeb } from "./support/grpc-web-request.ts";
import { startHeldCall } from "./support/held-call.ts";
import { startSwitchableProxy } from "./support/switchable-proxy.ts";
import {
  killServerChildren,
  manyTeams,
  startServerChild,
  startTeamsServer,
} from "./support/teams-server.ts";
import { startTestGateway } from "./support/test-gateway.ts";

const teamCount = 20_000;
const temp = mkdtempSync(join(tmpdir(), "gateway-faults-"));
const teamsFile = join(temp, "teams.json");
writeFileSync(teamsFile, JSON.stringify(manyTeams(teamCount)));

after(() => {
  killGatewayProcesses();
  killServerChildren();
  rmSync(temp, { recursive: true, force: true });
});

const chicago = new TeamRequest({ city: "Chicago" }).serialize();
const city0 = new TeamRequest({ city: "City 0000000" }).serialize();
const everyTeam = new ListTeamsRequest({ prefix: "" }).serialize();

// Each test bounds itself: a hang fails here instead of stalling the whole run.
describe("faults", { timeout: 180_000 }, () => {
  it("a server SIGKILLed mid-stream ends the call UNAVAILABLE, and calls work again once a server is back at the address", async () => {
    const first = await startServerChild({ TEAMS_FILE: teamsFile });
    // The upstream address stays; the server that comes back has a fresh port behind it.
    const proxy = await startSwitchableProxy(first.port);
    const gateway = await startTestGateway(proxy.address);
    try {
      const call = startHeldCall(gateway.url, "/Teams/ListTeams", everyTeam);
      await call.firstBytes;
      call.pause(); // the stream is flowing and now held in flight by backpressure
      first.child.kill("SIGKILL");
      await first.exited;
      call.resume();
      const result = await call.result;
      assert.ok(result.messages.length < teamCount, "the stream was cut, not completed");
      assert.ok([13, 14].includes(result.status), `status ${result.status}: ${result.message}`);
      assert.match(result.message, /upstream/);

      const down = await callGrpcWeb(gateway.url, "/Teams/GetTeam", [city0]);
      assert.equal(down.status, 14, "nothing listens: UNAVAILABLE");

      proxy.target = (await startServerChild({ TEAMS_FILE: teamsFile })).port;
      const back = await callGrpcWeb(gateway.url, "/Teams/GetTeam", [city0]);
      assert.equal(back.status, 0, back.message);
      assert.equal(TeamResponse.deserialize(back.messages[0] as Buffer).nickname, "Team 0");
    } finally {
      await gateway.close();
      await proxy.close();
    }
  });

  it("loses no call across graceful server restarts behind one address (a new server, then GOAWAY from the old)", async (t) => {
    let server = await startTeamsServer();
    // The gateway's upstream address stays; each restart is a new server on a fresh port.
    const proxy = await startSwitchableProxy(server.port);
    const retried: number[] = [];
    const logger: Logger = {
      debug() {},
      info() {},
      warn() {},
      error() {},
    };
    logger.info = (msg, fields) => {
      if (msg === "call" && typeof fields?.retries === "number") retried.push(fields.retries);
    };
    const gateway = await startTestGateway(proxy.address, { logger });
    const failures: string[] = [];
    let calls = 0;
    let running = true;
    // A steady stream of calls: 8 callers back to back, one in four a ListTeams.
    const caller = async (id: number): Promise<void> => {
      for (let n = 0; running; n += 1) {
        const list = (id + n) % 4 === 0;
        const result = await callGrpcWeb(
          gateway.url,
          list ? "/Teams/ListTeams" : "/Teams/GetTeam",
          [list ? new ListTeamsRequest({ prefix: "s", limit: 3 }).serialize() : chicago],
        ).catch((error: Error) => ({ status: -1, message: error.message, messages: [] }));
        calls += 1;
        const expected = list ? 2 : 1; // Seattle, San Francisco
        if (result.status !== 0 || result.messages.length !== expected)
          failures.push(`${result.status} ${result.message}`);
      }
    };
    const callers = Array.from({ length: 8 }, (_, id) => caller(id));
    try {
      const progress = async (): Promise<void> => {
        const target = calls + 40;
        await eventually(() => calls >= target, 20_000);
      };
      for (let restart = 0; restart < 3; restart += 1) {
        await progress();
        const next = await startTeamsServer();
        proxy.target = next.port;
        await server.shutdown(); // GOAWAY to the gateway's session; in-flight calls finish
        server = next;
      }
      await progress();
    } finally {
      running = false;
      await Promise.all(callers);
      await gateway.close();
      server.forceShutdown();
      await proxy.close();
    }
    t.diagnostic(
      `${calls} calls across 3 restarts, ${failures.length} failed, ${retried.length} retried on a new session`,
    );
    assert.deepEqual(failures, []);
    assert.ok(calls > 30, `only ${calls} calls ran`);
    assert.ok(gateway.upstreamStats().sessionsOpened >= 4, "a new session after each restart");
  });

  it("SIGTERM to the gateway: calls in flight finish, new ones are refused, exit 0", async () => {
    const server = await startTeamsServer({ teams: manyTeams(teamCount) });
    const gateway = await startGatewayProcess({
      UPSTREAM: `127.0.0.1:${server.port}`,
      LOG_LEVEL: "debug",
      DRAIN_TIMEOUT_MS: "20000",
    });
    try {
      const stream = startHeldCall(gateway.url, "/Teams/ListTeams", everyTeam);
      await stream.firstBytes;
      stream.pause();
      // A unary call whose body is half sent: accepted, not yet at the server.
      const unary = startHeldCall(gateway.url, "/Teams/GetTeam", chicago, { holdBody: 3 });
      await gateway.waitForLog(
        () => gateway.logs.filter((line) => line.msg === "call started").length === 2,
      );

      gateway.child.kill("SIGTERM");
      await gateway.waitForLog((line) => line.msg === "gateway draining");
      const refused = await callGrpcWeb(gateway.url, "/Teams/GetTeam", [chicago]).catch(
        (error: NodeJS.ErrnoException) => error,
      );
      assert.ok(refused instanceof Error, "a new connection is refused while draining");
      assert.equal(refused.code, "ECONNREFUSED");

      unary.finishBody();
      const unaryResult = await unary.result;
      assert.equal(unaryResult.status, 0, unaryResult.message);
      assert.equal(TeamResponse.deserialize(unaryResult.messages[0] as Buffer).city, "Chicago");

      stream.resume();
      const streamResult = await stream.result;
      assert.equal(streamResult.status, 0, streamResult.message);
      assert.equal(streamResult.messages.length, teamCount);
      assert.equal(await gateway.exited, 0);
    } finally {
      server.forceShutdown();
    }
  });

  it("SIGTERM to the gateway: a call that outlasts DRAIN_TIMEOUT_MS is cut, and it still exits 0", async () => {
    const server = await startTeamsServer();
    const gateway = await startGatewayProcess({
      UPSTREAM: `127.0.0.1:${server.port}`,
      LOG_LEVEL: "debug",
      DRAIN_TIMEOUT_MS: "300",
    });
    try {
      // Its body never completes, so it is still in flight when the bound passes.
      const stuck = startHeldCall(gateway.url, "/Teams/GetTeam", chicago, { holdBody: 3 });
      const outcome = stuck.result.then(
        (result) => `answered ${result.status}`,
        (error: Error) => error.message,
      );
      await gateway.waitForLog((line) => line.msg === "call started");
      gateway.child.kill("SIGTERM");
      assert.equal(await gateway.exited, 0);
      assert.ok(
        gateway.logs.some((line) => line.msg === "drain timed out; cutting remaining calls"),
      );
      assert.match(
        await outcome,
        /socket hang up|ECONNRESET/,
        "cut, as a browser sees a network error",
      );
    } finally {
      server.forceShutdown();
    }
  });
});
