// An upstream that refuses connections, never answers, or never speaks HTTP/2: the gateway
// answers UNAVAILABLE or DEADLINE_EXCEEDED instead of hanging.
import assert from "node:assert/strict";
import { once } from "node:events";
import net, { type AddressInfo } from "node:net";
import { describe, it } from "node:test";
import { eventually } from "./support/eventually.ts";
import { refusingPort } from "./support/free-port.ts";
import { callGrpcWeb } from "./support/grpc-web-request.ts";
import {
  afterThisTest,
  closeAfterEachTest,
  gatewayOnRawUpstream,
} from "./support/raw-upstream-gateway.ts";
import { startTestGateway } from "./support/test-gateway.ts";

closeAfterEachTest();

const hello = [Buffer.from("hello")];

describe("upstream unreachable or silent", () => {
  it("answers UNAVAILABLE, not a hang, when nothing listens upstream", async () => {
    const port = await refusingPort();
    const gateway = await startTestGateway(`127.0.0.1:${port}`);
    for (const text of [false, true]) {
      const result = await callGrpcWeb(gateway.url, "/S/M", hello, { text });
      assert.equal(result.httpStatus, 200);
      assert.equal(result.status, 14, result.message);
      assert.match(result.message, /unavailable.*ECONNREFUSED/);
    }
  });

  it("enforces grpc-timeout itself: DEADLINE_EXCEEDED and the upstream stream reset", async () => {
    const { gateway, upstream } = await gatewayOnRawUpstream(() => {
      // Never answers, and ignores grpc-timeout.
    });
    const result = await callGrpcWeb(gateway.url, "/S/M", hello, {
      headers: { "grpc-timeout": "200m" },
    });
    assert.equal(result.status, 4);
    assert.match(result.message, /grpc-timeout 200m/);
    assert.equal(upstream.calls[0]?.["grpc-timeout"], "200m");
    await eventually(() => upstream.cancelled() === 1);
    assert.equal(gateway.upstreamStats().openStreams, 0);
  });

  it("drops a session whose keepalive pings go unanswered, failing its calls UNAVAILABLE", async () => {
    // A TCP server that accepts and never speaks HTTP/2.
    const sockets = new Set<net.Socket>();
    const blackHole = net.createServer((socket) => {
      sockets.add(socket);
      socket.on("error", () => {});
    });
    blackHole.listen(0, "127.0.0.1");
    await once(blackHole, "listening");
    afterThisTest(
      () =>
        new Promise<void>((resolve) => {
          for (const socket of sockets) socket.destroy();
          blackHole.close(() => resolve());
        }),
    );
    const gateway = await startTestGateway(
      `127.0.0.1:${(blackHole.address() as AddressInfo).port}`,
      {
        keepaliveIntervalMs: 50,
        keepaliveTimeoutMs: 100,
      },
    );
    const result = await callGrpcWeb(gateway.url, "/S/M", hello);
    assert.equal(result.status, 14);
    assert.match(result.message, /keepalive/);
  });
});
