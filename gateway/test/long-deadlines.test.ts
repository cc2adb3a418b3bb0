// Long grpc-timeout values (issue 11 §3): 2^31 ms or more used to end DEADLINE_EXCEEDED
// within milliseconds (timers wrap). Every valid value is now a deadline at least that long,
// or the longest one a timer holds (2147483S), here and upstream.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { TeamRequest, TeamResponse } from "@teams/web/gen";
import { longestGrpcTimeout } from "../src/timeout.ts";
import { callGrpcWeb } from "./support/grpc-web-request.ts";
import { answer, type RawUpstream, startRawUpstream } from "./support/raw-upstream.ts";
import { startTeamsStack, type TeamsStack } from "./support/teams-stack.ts";
import { closeTestGateways, startTestGateway } from "./support/test-gateway.ts";

const longValues = ["600H", "3000H", "2147484S", "99999999M", "99999999H"];
const boston = new TeamRequest({ city: "Boston" }).serialize();

let stack: TeamsStack;
let upstream: RawUpstream;
before(async () => {
  stack = await startTeamsStack();
  upstream = await startRawUpstream((stream) => answer(stream, [Buffer.from("ok")]));
});
after(async () => {
  await closeTestGateways();
  await upstream.close();
  await stack.close();
});

describe("long grpc-timeout values", () => {
  for (const text of [false, true]) {
    it(`run to OK through the gateway to the grpc-js server (${text ? "text" : "binary"})`, async () => {
      for (const timeout of longValues) {
        const result = await callGrpcWeb(stack.gateway.url, "/Teams/GetTeam", [boston], {
          text,
          headers: { "grpc-timeout": timeout },
        });
        assert.equal(result.status, 0, `${timeout}: ${result.message}`);
        const team = TeamResponse.deserialize(result.messages[0] as Buffer);
        assert.equal(team.nickname, "Revolutionaries");
      }
    });
  }

  it("are passed upstream clamped to the longest deadline; shorter ones unchanged", async () => {
    const gateway = await startTestGateway(upstream.address);
    for (const timeout of [...longValues, "2147483S", "99999999m", "5S"]) {
      const result = await callGrpcWeb(gateway.url, "/Teams/GetTeam", [boston], {
        headers: { "grpc-timeout": timeout },
      });
      assert.equal(result.status, 0, timeout);
      const sent = upstream.calls.at(-1)?.["grpc-timeout"];
      assert.equal(sent, longValues.includes(timeout) ? longestGrpcTimeout : timeout, timeout);
    }
  });
});
