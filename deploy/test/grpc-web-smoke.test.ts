// The smoke checks `npm run test:compose` runs against Envoy, run here against the real server
// behind the Node gateway on loopback: proves the checks themselves (codec, CORS, stream) are
// right without Docker, and that both gRPC-Web paths behave the same.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { decodeBase64Runs, decodeResponseBody, frameMessage } from "../src/grpc-web-codec.ts";
import { runSmokeChecks } from "../src/grpc-web-smoke.ts";
import {
  type Gateway,
  type RunningServer,
  startNodeGateway,
  startTeamsServer,
} from "./support/node-stack.ts";

describe("grpc-web codec", () => {
  it("decodes text answers made of several separately padded base64 runs", () => {
    const first = frameMessage(Buffer.from("ab")).toString("base64");
    const trailer = Buffer.from("grpc-status:0\r\n");
    const second = Buffer.from([0x80, 0, 0, 0, trailer.length, ...trailer]).toString("base64");
    assert.ok(first.endsWith("="), "the first run is padded, as proxies send it");
    const answer = decodeResponseBody(Buffer.from(first + second), new Headers(), "text");
    assert.deepEqual(answer.messages, [Buffer.from("ab")]);
    assert.equal(answer.trailers["grpc-status"], "0");
    assert.deepEqual(decodeBase64Runs("YQ==Yg=="), Buffer.from("ab"));
  });

  it("refuses a truncated frame", () => {
    assert.throws(
      () => decodeResponseBody(Buffer.from([0, 0, 0, 0, 9, 1]), new Headers(), "binary"),
      /truncated frame/,
    );
  });
});

describe("smoke checks against server + Node gateway", () => {
  let server: RunningServer;
  let gateway: Gateway;

  before(async () => {
    server = await startTeamsServer();
    gateway = await startNodeGateway({ upstream: `127.0.0.1:${server.port}` });
  });

  after(async () => {
    await gateway?.close();
    server?.forceShutdown();
  });

  it("pass: calls in both modes, the stream, errors, health and CORS", async () => {
    const checks = await runSmokeChecks({ baseUrl: gateway.url });
    const failed = checks.filter((item) => !item.ok).map((item) => `${item.name}: ${item.detail}`);
    assert.deepEqual(failed, []);
    assert.equal(checks.length, 8);
  });

  it("fail when nothing answers gRPC-Web", async () => {
    const checks = await runSmokeChecks({ baseUrl: "http://127.0.0.1:9/" });
    assert.ok(checks.every((item) => !item.ok));
  });
});
