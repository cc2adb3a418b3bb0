// The gateway's upstream pool: several endpoints from UPSTREAM (a list, or a DNS name with
// several addresses, resolved again periodically), each call on the less loaded endpoint.
import assert from "node:assert/strict";
import { after, afterEach, describe, it } from "node:test";
import { ListTeamsRequest, TeamRequest } from "@teams/web/gen";
import { eventually } from "./support/eventually.ts";
import { callGrpcWeb } from "./support/grpc-web-request.ts";
import { startHeldCall } from "./support/held-call.ts";
import { manyTeams, startTeamsServer, type TeamsServer } from "./support/teams-server.ts";
import { closeTestGateways, startTestGateway } from "./support/test-gateway.ts";

const servers: TeamsServer[] = [];
afterEach(closeTestGateways);
after(() => {
  for (const server of servers) server.forceShutdown();
});

async function teamsServer(options: Parameters<typeof startTeamsServer>[0] = {}) {
  const server = await startTeamsServer(options);
  servers.push(server);
  return server;
}

const chicago = new TeamRequest({ city: "Chicago" }).serialize();
const everyTeam = new ListTeamsRequest({ prefix: "" }).serialize();

describe("upstream pool endpoints", { timeout: 60_000 }, () => {
  it("spreads calls over every host:port of a comma-separated UPSTREAM", async () => {
    const [a, b] = [await teamsServer(), await teamsServer()];
    const gateway = await startTestGateway(`127.0.0.1:${a?.port},127.0.0.1:${b?.port}`);
    const results = await Promise.all(
      Array.from({ length: 200 }, () => callGrpcWeb(gateway.url, "/Teams/GetTeam", [chicago])),
    );
    assert.deepEqual(new Set(results.map((result) => result.status)), new Set([0]));
    const endpoints = gateway.upstreamStats().endpoints;
    assert.deepEqual(
      endpoints.map((endpoint) => endpoint.address),
      [`127.0.0.1:${a?.port}`, `127.0.0.1:${b?.port}`],
    );
    for (const endpoint of endpoints) assert.ok(endpoint.calls >= 40, JSON.stringify(endpoint));
  });

  it("balances by open calls: long streams held on one endpoint send new calls to the other", async () => {
    const teams = manyTeams(3000);
    const [a, b] = [await teamsServer({ teams }), await teamsServer({ teams })];
    const gateway = await startTestGateway(`127.0.0.1:${a?.port},127.0.0.1:${b?.port}`);
    const held = [];
    for (let index = 0; index < 10; index += 1) {
      const call = startHeldCall(gateway.url, "/Teams/ListTeams", everyTeam);
      call.pause();
      held.push(call);
      await eventually(() => gateway.upstreamStats().openStreams === index + 1);
    }
    // Least-request over two endpoints always takes the less loaded one: 5 and 5.
    assert.deepEqual(
      gateway.upstreamStats().endpoints.map((endpoint) => endpoint.openStreams),
      [5, 5],
    );
    for (const call of held) call.resume();
    for (const call of held) assert.equal((await call.result).status, 0);
  });

  it("takes one endpoint per address of a DNS name, and drops one that leaves the answer", async () => {
    const a = await teamsServer({ teams: manyTeams(3000) });
    // The same port on a second loopback address: one name, two replicas.
    const b = await teamsServer({ port: a.port, host: "127.0.0.2", teams: manyTeams(3000) });
    let answer = ["127.0.0.1", "127.0.0.2"];
    const asked: string[] = [];
    const gateway = await startTestGateway(`teams.test:${a.port}`, {
      upstreamDnsRefreshMs: 20,
      upstreamResolver: async (host) => {
        asked.push(host);
        return answer;
      },
    });
    assert.equal(asked[0], "teams.test");
    const addresses = () => gateway.upstreamStats().endpoints.map((endpoint) => endpoint.address);
    assert.deepEqual(addresses(), [`127.0.0.1:${a.port}`, `127.0.0.2:${b.port}`]);
    // One long call on each, held, then the second address leaves the answer.
    const held = [0, 1].map(() => {
      const call = startHeldCall(gateway.url, "/Teams/ListTeams", everyTeam);
      call.pause();
      return call;
    });
    await eventually(() => gateway.upstreamStats().endpoints.every((e) => e.openStreams === 1));
    answer = ["127.0.0.1"];
    await eventually(() => addresses().length === 1);
    assert.deepEqual(addresses(), [`127.0.0.1:${a.port}`]);
    // New calls go to the one left; the removed endpoint's call finishes (it drains).
    for (let index = 0; index < 10; index += 1) {
      const result = await callGrpcWeb(gateway.url, "/Teams/GetTeam", [chicago]);
      assert.equal(result.status, 0, result.message);
    }
    assert.equal(gateway.upstreamStats().endpoints[0]?.calls, 11);
    for (const call of held) call.resume();
    for (const call of held) assert.equal((await call.result).status, 0);
  });
});
