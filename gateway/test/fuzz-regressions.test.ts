// One focused test per bug the fuzz test (fuzz.test.ts) found, so each stays fixed
// whatever the fuzzer's seed.
import assert from "node:assert/strict";
import net from "node:net";
import { after, before, describe, it } from "node:test";
import type { Gateway } from "../src/index.ts";
import { callGrpcWeb } from "./support/grpc-web-request.ts";
import { answer, type RawUpstream, readBody, startRawUpstream } from "./support/raw-upstream.ts";
import { closeTestGateways, startTestGateway } from "./support/test-gateway.ts";

let upstream: RawUpstream;
let gateway: Gateway;
before(async () => {
  upstream = await startRawUpstream(async (stream) => {
    const body = await readBody(stream).catch(() => Buffer.alloc(0));
    if (!stream.closed) answer(stream, [body]);
  });
  gateway = await startTestGateway(upstream.address);
});
after(async () => {
  await closeTestGateways();
  await upstream.close();
});

/** Writes raw bytes and returns everything answered before the gateway closed. */
function rawExchange(bytes: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(gateway.port, "127.0.0.1");
    let received = "";
    socket.on("error", () => {});
    socket.on("data", (chunk: Buffer) => {
      received += chunk.toString("latin1");
    });
    socket.on("close", () => resolve(received));
    socket.write(bytes, "latin1");
  });
}

const compressed = Buffer.from([1, 0, 0, 0, 3, 10, 1, 0]);

describe("found by fuzzing", () => {
  it("refuses a compressed frame without grpc-encoding (grpc-js would read it as plain)", async () => {
    const calls = upstream.calls.length;
    const result = await callGrpcWeb(gateway.url, "/S/M", [], { body: [compressed] });
    assert.equal(result.status, 3);
    assert.match(result.message, /compressed flag \(0x01\) set, but no grpc-encoding header/);
    const identity = await callGrpcWeb(gateway.url, "/S/M", [], {
      body: [compressed],
      headers: { "grpc-encoding": "identity" },
    });
    assert.equal(identity.status, 3);
    assert.ok(upstream.calls.length - calls <= 2, "at most the prefix reached the upstream");
  });

  it("passes a compressed frame on when grpc-encoding names the compression", async () => {
    const result = await callGrpcWeb(gateway.url, "/S/M", [], {
      body: [compressed],
      headers: { "grpc-encoding": "gzip" },
    });
    assert.equal(result.status, 0, result.message);
    assert.deepEqual(result.messages[0], compressed);
    assert.equal(upstream.calls.at(-1)?.["grpc-encoding"], "gzip");
  });

  it("answers grpc-timeout 0 with DEADLINE_EXCEEDED without calling the server (a fast answer won the race)", async () => {
    const calls = upstream.calls.length;
    for (const timeout of ["0m", "0n", "0S"]) {
      const result = await callGrpcWeb(gateway.url, "/S/M", [Buffer.from("x")], {
        headers: { "grpc-timeout": timeout },
      });
      assert.equal(result.status, 4);
      assert.match(
        result.message,
        new RegExp(`grpc-timeout ${timeout} had passed before the call started`),
      );
    }
    assert.equal(upstream.calls.length, calls);
  });

  it("answers an HTTP/1.1 request without Host with 400 and a message (Node's own 400 is empty)", async () => {
    const answer = await rawExchange("GET / HTTP/1.1\r\n\r\n");
    assert.match(answer, /^HTTP\/1\.1 400 /);
    assert.match(answer, /HTTP\/1\.1 requests must carry a Host header/);
  });

  it("answers unparsable requests with the fitting status and a message, not a bare 400", async () => {
    const huge = await rawExchange(`GET /${"a".repeat(20_000)} HTTP/1.1\r\nhost: x\r\n\r\n`);
    assert.match(huge, /^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
    assert.match(huge, /request line and headers exceed 16 KiB/);
    const garbage = await rawExchange("G\u00e9T / HTTP/1.1\r\nhost: x\r\n\r\n");
    assert.match(garbage, /^HTTP\/1\.1 400 Bad Request\r\n/);
    assert.match(garbage, /malformed HTTP request \(HPE_INVALID_METHOD\)/);
  });
});
