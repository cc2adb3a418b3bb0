// Malformed requests get a precise status or HTTP error, and the gateway keeps serving.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Gateway } from "../src/index.ts";
import { callGrpcWeb } from "./support/grpc-web-request.ts";
import { httpTextRequest, type TextAnswer } from "./support/http-text-request.ts";
import { answer, type RawUpstream, readBody, startRawUpstream } from "./support/raw-upstream.ts";
import { closeTestGateways, startTestGateway } from "./support/test-gateway.ts";

let upstream: RawUpstream;
let gateway: Gateway;
const bodiesSeen: number[] = [];

before(async () => {
  upstream = await startRawUpstream(async (stream) => {
    const body = await readBody(stream).catch(() => Buffer.alloc(0));
    bodiesSeen.push(body.length);
    if (!stream.closed) answer(stream, [body.subarray(5)]);
  });
  gateway = await startTestGateway(upstream.address, {
    maxMessageBytes: 1024,
  });
});

after(async () => {
  await closeTestGateways();
  await upstream.close();
});

function plainRequest(method: string, headers: Record<string, string>): Promise<TextAnswer> {
  return httpTextRequest(gateway.url, { method, path: "/Teams/GetTeam", headers });
}

describe("malformed gRPC-Web bodies", () => {
  it("refuses invalid base64 with INVALID_ARGUMENT naming the position", async () => {
    const result = await callGrpcWeb(gateway.url, "/S/M", [], { text: true, body: ["AAAA!!!!"] });
    assert.equal(result.status, 3);
    assert.match(result.message, /not valid base64.*character 4/);
  });

  it("refuses base64 without its padding", async () => {
    const result = await callGrpcWeb(gateway.url, "/S/M", [], { text: true, body: ["AAAAAAU"] });
    assert.equal(result.status, 3);
    assert.match(result.message, /padding is mandatory/);
  });

  it("refuses a body that ends inside a message", async () => {
    const result = await callGrpcWeb(gateway.url, "/S/M", [], {
      body: [Buffer.from([0, 0, 0, 0, 10, 1, 2, 3])],
    });
    assert.equal(result.status, 3);
    assert.match(result.message, /ends inside message 1: 7 bytes missing/);
  });

  it("refuses a body that ends inside a frame prefix", async () => {
    const result = await callGrpcWeb(gateway.url, "/S/M", [], { body: [Buffer.from([0, 0])] });
    assert.equal(result.status, 3);
    assert.match(result.message, /inside a frame prefix: got 2 of 5 bytes/);
  });

  it("refuses a trailer-flagged frame in a request", async () => {
    const result = await callGrpcWeb(gateway.url, "/S/M", [], {
      body: [Buffer.from([0x80, 0, 0, 0, 0])],
    });
    assert.equal(result.status, 3);
    assert.match(result.message, /flags byte 0x80/);
  });

  it("answers RESOURCE_EXHAUSTED from the length prefix alone, before the message arrives", async () => {
    const before = bodiesSeen.length;
    // Claims 1 GiB; only 5 + 3 bytes follow.
    const result = await callGrpcWeb(gateway.url, "/S/M", [], {
      body: [Buffer.from([0, 0x40, 0, 0, 0, 1, 2, 3])],
    });
    assert.equal(result.status, 8);
    assert.match(
      result.message,
      /1073741824 bytes, over the gateway limit of 1024 \(MAX_MESSAGE_BYTES\)/,
    );
    assert.equal(result.headers.connection, "close");
    // Whatever reached the upstream was at most the prefix, never the message.
    for (const length of bodiesSeen.slice(before))
      assert.ok(length <= 5, `upstream saw ${length} bytes`);
  });

  it("refuses an invalid grpc-timeout without calling the upstream", async () => {
    const calls = upstream.calls.length;
    const result = await callGrpcWeb(gateway.url, "/S/M", [Buffer.from("x")], {
      headers: { "grpc-timeout": "soon" },
    });
    assert.equal(result.status, 3);
    assert.match(result.message, /grpc-timeout: expected 1 to 8 digits and a unit/);
    assert.equal(upstream.calls.length, calls);
  });
});

describe("wrong method or content type", () => {
  it("answers 405 with Allow: POST to a GET carrying a gRPC-Web content type", async () => {
    const result = await plainRequest("GET", { "content-type": "application/grpc-web-text" });
    assert.equal(result.status, 405);
    assert.equal(result.headers.allow, "POST, OPTIONS");
    assert.match(result.body, /must be POST/);
  });

  it("answers 415 to a POST that is not gRPC-Web, naming the accepted types", async () => {
    for (const contentType of ["application/json", "application/grpc"]) {
      const result = await plainRequest("POST", { "content-type": contentType });
      assert.equal(result.status, 415);
      assert.match(result.body, /application\/grpc-web-text/);
    }
  });

  it("answers 405 to other methods", async () => {
    const result = await plainRequest("DELETE", {});
    assert.equal(result.status, 405);
  });
});

describe("after bad input", () => {
  it("still serves good calls", async () => {
    for (const text of [false, true]) {
      const result = await callGrpcWeb(gateway.url, "/S/M", [Buffer.from("fine")], { text });
      assert.equal(result.status, 0, result.message);
      assert.deepEqual(result.messages.map(String), ["fine"]);
    }
  });
});
