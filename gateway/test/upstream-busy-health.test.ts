// A server too busy to answer health checks in time (filling thousands of stalled streams,
// say) is busy, not down: with no endpoint left in rotation, calls still go to it, as
// Envoy's panic threshold routes to every host. One that answers NOT_SERVING stays out
// (upstream-health.test.ts).
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { eventually } from "./support/eventually.ts";
import { callGrpcWeb } from "./support/grpc-web-request.ts";
import { answer, type RawUpstream, startRawUpstream } from "./support/raw-upstream.ts";
import { closeTestGateways, startTestGateway } from "./support/test-gateway.ts";

let upstream: RawUpstream | undefined;
after(async () => {
  await closeTestGateways();
  await upstream?.close();
});

describe("a busy upstream", () => {
  it("still gets calls when its health checks only time out", async () => {
    // Health checks are left unanswered (the stream stays open); every call is answered.
    upstream = await startRawUpstream((stream, headers) => {
      if (headers[":path"] === "/grpc.health.v1.Health/Check") return;
      answer(stream, [Buffer.from("ok")]);
    });
    // Checks every 100 ms, each given 100 ms.
    const gateway = await startTestGateway(upstream.address, { upstreamHealthIntervalMs: 100 });
    await eventually(() => gateway.upstreamStats().endpoints[0]?.healthy === false);
    assert.match(
      gateway.upstreamStats().endpoints[0]?.lastFailure ?? "",
      /no health answer within 100 ms/,
    );
    const result = await callGrpcWeb(gateway.url, "/Teams/GetTeam", [new Uint8Array()]);
    assert.equal(result.status, 0, result.message);
    assert.deepEqual(result.messages, [Buffer.from("ok")]);
  });
});
