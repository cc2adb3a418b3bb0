// Which calls the gateway retries on a new upstream stream: only those the server
// never started (REFUSED_STREAM, connection refused), within UPSTREAM_RETRY_MS, with
// the request body replayed byte for byte. A call the server started is never retried.
import assert from "node:assert/strict";
import http2 from "node:http2";
import { afterEach, describe, it } from "node:test";
import type { Gateway } from "../src/index.ts";
import { eventually } from "./support/eventually.ts";
import { freePort } from "./support/free-port.ts";
import { callGrpcWeb } from "./support/grpc-web-request.ts";
import {
  answer,
  type RawUpstream,
  readBody,
  type StreamHandler,
  startRawUpstream,
} from "./support/raw-upstream.ts";
import { closeTestGateways, startTestGateway } from "./support/test-gateway.ts";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  await closeTestGateways();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function gatewayFor(upstream: string, upstreamRetryMs = 2000): Promise<Gateway> {
  const gateway = await startTestGateway(upstream, {
    upstreamRetryMs,
  });
  return gateway;
}

async function upstreamWith(handler: StreamHandler): Promise<RawUpstream> {
  const upstream = await startRawUpstream(handler);
  cleanups.push(() => upstream.close());
  return upstream;
}

const refuse: StreamHandler = (stream) => stream.close(http2.constants.NGHTTP2_REFUSED_STREAM);

describe("retrying calls the upstream never started", () => {
  it("retries a REFUSED_STREAM on a new stream and replays the body intact", async () => {
    const bodies: Buffer[] = [];
    let seen = 0;
    const upstream = await upstreamWith(async (stream, headers) => {
      seen += 1;
      if (seen <= 2) return refuse(stream, headers);
      const body = await readBody(stream);
      bodies.push(body);
      answer(stream, [body.subarray(5)]);
    });
    const gateway = await gatewayFor(upstream.address);
    const message = Buffer.alloc(100_000, 7);
    for (const text of [false, true]) {
      seen = 0;
      const result = await callGrpcWeb(gateway.url, "/S/M", [message], { text });
      assert.equal(result.status, 0, result.message);
      assert.deepEqual(result.messages[0], message);
    }
    assert.equal(upstream.calls.length, 6, "two refusals, then the call, twice");
    assert.equal(bodies.length, 2);
  });

  it("answers UNAVAILABLE, saying the call never started, once the retry window is spent", async () => {
    const upstream = await upstreamWith(refuse);
    const gateway = await gatewayFor(upstream.address, 200);
    const result = await callGrpcWeb(gateway.url, "/S/M", [Buffer.from("x")]);
    assert.equal(result.status, 14);
    assert.match(result.message, /refused the call \(REFUSED_STREAM\).*never started/);
    assert.ok(upstream.calls.length > 1, "retried before giving up");
  });

  it("reaches a server that starts listening within the window (connection refused meanwhile)", async () => {
    const port = await freePort();
    const gateway = await gatewayFor(`127.0.0.1:${port}`, 5000);
    const call = callGrpcWeb(gateway.url, "/S/M", [Buffer.from("late")]);
    // Refused at least once (a second connection attempt is a retry), then the server starts.
    await eventually(() => gateway.upstreamStats().sessionsOpened >= 2);
    const server = http2.createServer();
    server.on("stream", async (stream) => answer(stream, [(await readBody(stream)).subarray(5)]));
    server.listen(port, "127.0.0.1");
    cleanups.push(async () => {
      await gateway.close(); // first: the server's close waits for the gateway's session
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
    const result = await call;
    assert.equal(result.status, 0, result.message);
    assert.deepEqual(result.messages.map(String), ["late"]);
  });

  it("never retries a call the server started (reset after reading it)", async () => {
    const upstream = await upstreamWith(async (stream) => {
      await readBody(stream);
      stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
    });
    const gateway = await gatewayFor(upstream.address);
    const result = await callGrpcWeb(gateway.url, "/S/M", [Buffer.from("once")]);
    assert.equal(result.status, 13);
    assert.equal(upstream.calls.length, 1);
  });

  it("does not retry past the call's own grpc-timeout", async () => {
    const upstream = await upstreamWith(refuse);
    const gateway = await gatewayFor(upstream.address, 60_000);
    const result = await callGrpcWeb(gateway.url, "/S/M", [Buffer.from("x")], {
      headers: { "grpc-timeout": "300m" },
    });
    assert.equal(result.status, 4);
    assert.match(result.message, /grpc-timeout 300m/);
  });
});
