// The bench's gRPC-Web readers (the gateway's codec, "@teams/gateway/grpc-frame") against our
// server behind our gateway, each in its own process, in every protocol the bench measures.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { runStreamClient } from "../src/load/stream-run.ts";
import { callGetTeam } from "../src/load/verify-answer.ts";
import type { Listener } from "../src/spawn-listener.ts";
import { startOurGateway, startOurServer } from "../src/systems.ts";

describe("gRPC-Web answers through our gateway", () => {
  let server: Listener;
  let gateway: Listener;
  before(async () => {
    server = await startOurServer();
    gateway = await startOurGateway(server.port);
  });
  after(async () => {
    await gateway?.stop();
    await server?.stop();
  });

  for (const protocol of ["grpc-web", "grpc-web-text"] as const) {
    it(`GetTeam over ${protocol}: reads the team and grpc-status 0 from the trailer frame`, async () => {
      const answer = await callGetTeam(protocol, gateway.port, "Chicago");
      assert.equal(answer.grpcStatus, "0");
      assert.equal(answer.team?.nickname, "Jackals");
    });
  }

  it("GetTeam with a bad city: reads INVALID_ARGUMENT and its message", async () => {
    const answer = await callGetTeam("grpc-web", gateway.port, " ");
    assert.equal(answer.grpcStatus, "3");
    assert.match(answer.grpcMessage, /city/);
  });

  it("ListTeams: the stream client counts every team, natively and through the gateway", async () => {
    const native = await runStreamClient("grpc", server.port);
    const web = await runStreamClient("grpc-web", gateway.port);
    assert.deepEqual(native, { ...native, messages: 10, grpcStatus: "0", leftover: 0 });
    assert.deepEqual(web, { ...web, messages: 10, grpcStatus: "0", leftover: 0 });
  });
});
