// No shared fate between clients: a burst of cancellations (aborts, deadlines) cannot make
// the server's rapid-reset guard close a session under other clients' calls.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { TeamRequest } from "@teams/web/gen";
import type { Gateway } from "../src/index.ts";
import { eventually } from "./support/eventually.ts";
import { callGrpcWeb } from "./support/grpc-web-request.ts";
import { openCall } from "./support/open-calls.ts";
import { startTeamsServer, type TeamsServer } from "./support/teams-server.ts";
import { closeTestGateways, startTestGateway } from "./support/test-gateway.ts";

let server: TeamsServer;
let gateway: Gateway;
before(async () => {
  server = await startTeamsServer();
});
after(async () => {
  await closeTestGateways();
  server.forceShutdown();
});

const chicago = new TeamRequest({ city: "Chicago" }).serialize();
const burst = 1500;

/** `count` GetTeam calls in flight upstream (bodies held), once the gateway has opened them. */
async function inFlight(count: number, headers: Record<string, string> = {}) {
  const before = gateway.upstreamStats().openStreams;
  const calls = Array.from({ length: count }, () =>
    openCall(gateway.url, "/Teams/GetTeam", chicago, headers),
  );
  await eventually(() => gateway.upstreamStats().openStreams >= before + count, 60_000);
  return calls;
}

async function assertAllSucceed(calls: ReturnType<typeof openCall>[]): Promise<void> {
  for (const call of calls) call.finish();
  const results = await Promise.all(calls.map((call) => call.result));
  const failed = results.filter((result) => result.status !== 0);
  assert.deepEqual(
    failed.map((result) => `${result.status} ${result.message}`),
    [],
    `${failed.length} of ${calls.length} failed`,
  );
}

describe("no shared fate between clients", { timeout: 180_000 }, () => {
  before(async () => {
    // The 20 other calls hold their bodies through the burst: the body limits must allow it.
    gateway = await startTestGateway(`127.0.0.1:${server.port}`, {
      bodyIdleTimeoutMs: 120_000,
      requestTimeoutMs: 120_000,
    });
  });

  it(`${burst} clients aborting at once fail none of 20 other calls`, async () => {
    const others = await inFlight(20);
    const aborting = await inFlight(burst);
    for (const call of aborting) call.abort();
    await eventually(() => gateway.upstreamStats().openStreams === 20, 30_000).catch((error) => {
      throw new Error(`${error.message}: ${JSON.stringify(gateway.upstreamStats())}`);
    });
    await assertAllSucceed(others);
    // And the gateway keeps serving new calls.
    const after = await callGrpcWeb(gateway.url, "/Teams/GetTeam", [chicago]);
    assert.equal(after.status, 0, after.message);
  });

  it(`${burst} deadlines expiring together fail none of 20 other calls`, async () => {
    const others = await inFlight(20);
    const expiring = await inFlight(burst, { "grpc-timeout": "15S" });
    const expired = await Promise.all(expiring.map((call) => call.result));
    assert.deepEqual(new Set(expired.map((result) => result.status)), new Set([4]));
    await eventually(() => gateway.upstreamStats().openStreams === 20, 30_000).catch((error) => {
      throw new Error(`${error.message}: ${JSON.stringify(gateway.upstreamStats())}`);
    });
    await assertAllSucceed(others);
  });
});
