// The smoke checks `npm run test:compose` runs against Envoy, run here against the real server
// behind the Node gateway on loopback: proves the checks themselves (calls, CORS, stream) are
// right without Docker, and that both gRPC-Web paths behave the same. The framing codec is
// the gateway's, tested in gateway/test/unit/grpc-frame.test.ts.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { runSmokeChecks } from "../src/grpc-web-smoke.ts";
import {
  type Gateway,
  type RunningServer,
  startNodeGateway,
  startTeamsServer,
} from "./support/node-stack.ts";

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
