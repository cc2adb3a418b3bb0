// STREAM_IDLE_TIMEOUT_MS (Envoy's stream_idle_timeout): an upstream stream that moves no byte
// either way for that long ends UNAVAILABLE, which the client reads, and is freed upstream;
// a stream with heartbeats more often than that is never cut.
import assert from "node:assert/strict";
import { once } from "node:events";
import { afterEach, describe, it } from "node:test";
import { encodeEnvelope } from "../src/envelope.ts";
import { eventually } from "./support/eventually.ts";
import { callGrpcWeb } from "./support/grpc-web-request.ts";
import { type RawUpstream, readBody, startRawUpstream } from "./support/raw-upstream.ts";
import { closeTestGateways, startTestGateway } from "./support/test-gateway.ts";

const cleanups: RawUpstream[] = [];
afterEach(async () => {
  await closeTestGateways();
  for (const upstream of cleanups.splice(0)) await upstream.close();
});

const idleMs = 300;

describe("stream idle timeout", { timeout: 30_000 }, () => {
  it("ends a stream silent for STREAM_IDLE_TIMEOUT_MS with UNAVAILABLE and resets it upstream", async () => {
    let upstreamClosed: Promise<unknown> | undefined;
    const upstream = await startRawUpstream((stream) => {
      upstreamClosed = once(stream, "close");
      stream.respond({ ":status": 200, "content-type": "application/grpc" });
      stream.write(encodeEnvelope(0, Buffer.from("first")));
      // …then nothing, as a server stuck mid-stream.
    });
    cleanups.push(upstream);
    const gateway = await startTestGateway(upstream.address, { streamIdleTimeoutMs: idleMs });
    const result = await callGrpcWeb(gateway.url, "/S/Watch", [Buffer.from("x")]);
    assert.equal(result.status, 14);
    assert.match(result.message, /upstream stream idle for 300 ms \(no byte either way\)/);
    assert.deepEqual(result.messages, [Buffer.from("first")]);
    await upstreamClosed;
    await eventually(() => gateway.upstreamStats().openStreams === 0);
    // Counted (grpc_gateway_upstream_idle_timeouts_total).
    assert.equal(gateway.upstreamStats().endpoints?.[0]?.idleTimeouts, 1);
  });

  it("never cuts a stream whose heartbeats come more often than the limit", async () => {
    const upstream = await startRawUpstream(async (stream) => {
      await readBody(stream);
      stream.respond(
        { ":status": 200, "content-type": "application/grpc" },
        { waitForTrailers: true },
      );
      stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
      // Ten heartbeats, each a third of the limit apart: three limits in all.
      for (let beat = 0; beat < 10; beat += 1) {
        stream.write(encodeEnvelope(0, Buffer.from(`beat ${beat}`)));
        await new Promise((resolve) => setTimeout(resolve, idleMs / 3));
      }
      stream.end();
    });
    cleanups.push(upstream);
    const gateway = await startTestGateway(upstream.address, { streamIdleTimeoutMs: idleMs });
    const result = await callGrpcWeb(gateway.url, "/S/Watch", [Buffer.from("x")]);
    assert.equal(result.status, 0, result.message);
    assert.equal(result.messages.length, 10);
    assert.equal(gateway.upstreamStats().endpoints?.[0]?.idleTimeouts, 0);
  });
});
