// Three real server replicas (child processes) behind one gateway: calls spread over all
// three; a replica SIGKILLed under load is ejected, after which no call fails; restarted on
// its port, it rejoins at the next health check.
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { TeamRequest } from "@teams/web/gen";
import { eventually } from "./support/eventually.ts";
import { callGrpcWeb } from "./support/grpc-web-request.ts";
import { killServerChildren, startServerChild } from "./support/teams-server.ts";
import { closeTestGateways, startTestGateway } from "./support/test-gateway.ts";

after(async () => {
  await closeTestGateways();
  killServerChildren();
});

/** Waits for `condition`, failing with `what` and the pool's figures. */
async function until(what: string, condition: () => boolean, stats: () => unknown): Promise<void> {
  await eventually(condition, 10_000).catch(() => {
    throw new Error(`${what}: not in 10 s; ${JSON.stringify(stats())}`);
  });
}

const chicago = new TeamRequest({ city: "Chicago" }).serialize();

describe("three replicas behind one gateway", { timeout: 120_000 }, () => {
  it("spreads calls, ejects a killed replica, and takes it back once restarted", async () => {
    const replicas = await Promise.all([0, 1, 2].map(() => startServerChild()));
    const addresses = replicas.map((replica) => `127.0.0.1:${replica.port}`);
    const gateway = await startTestGateway(addresses.join(","), { upstreamHealthIntervalMs: 200 });
    const calls = () => gateway.upstreamStats().endpoints.map((endpoint) => endpoint.calls);

    // 3,000 calls, 30 at a time: each replica gets at least 20%.
    for (let batch = 0; batch < 100; batch += 1) {
      const results = await Promise.all(
        Array.from({ length: 30 }, () => callGrpcWeb(gateway.url, "/Teams/GetTeam", [chicago])),
      );
      for (const result of results) assert.equal(result.status, 0, result.message);
    }
    for (const count of calls()) assert.ok(count >= 600, `per replica: ${calls().join(", ")}`);

    // Steady load, then SIGKILL one replica.
    let failedBeforeOut = 0;
    let out = false;
    let running = true;
    const load = Promise.all(
      [0, 1, 2, 3].map(async () => {
        while (running) {
          const ejectedWhenStarted = out;
          const result = await callGrpcWeb(gateway.url, "/Teams/GetTeam", [chicago]);
          if (result.status !== 0) {
            assert.equal(
              ejectedWhenStarted,
              false,
              `a call failed after the ejection: ${result.message}`,
            );
            failedBeforeOut += 1;
          }
        }
      }),
    );
    const killed = replicas[1];
    const killedAt = performance.now();
    killed?.child.kill("SIGKILL");
    const state = () => gateway.upstreamStats().endpoints[1];
    await until(
      "out of rotation",
      () => state()?.healthy === false || state()?.ejected === true,
      gateway.upstreamStats,
    );
    out = true;
    const outAfterMs = performance.now() - killedAt;
    const callsOut = calls()[1];
    await new Promise((resolve) => setTimeout(resolve, 500)); // load runs on, all succeeding
    assert.equal(calls()[1], callsOut, "no call goes to the killed replica");

    // Restart on the same port: it rejoins at the next check.
    await startServerChild({ GRPC_PORT: String(killed?.port) });
    await until(
      "healthy again",
      () => state()?.healthy === true && state()?.ejected === false,
      gateway.upstreamStats,
    );
    await until("calls again", () => (calls()[1] ?? 0) > (callsOut ?? 0), gateway.upstreamStats);
    running = false;
    await load;
    console.log(
      `replica killed: out of rotation after ${Math.round(outAfterMs)} ms, ${failedBeforeOut} calls failed before`,
    );
  });
});
