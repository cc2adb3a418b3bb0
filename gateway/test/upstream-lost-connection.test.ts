// The upstream's connection lost in the middle of a server stream, after a whole message:
// dropped, closed at its maximum age (GOAWAY, then closed), or torn down. gRPC's HTTP/2
// mapping makes a lost connection UNAVAILABLE, which the page and the bench watchers
// take as "resume"; the answer ends at a frame boundary and names the upstream (issue 15).
import assert from "node:assert/strict";
import http2, { type ServerHttp2Stream } from "node:http2";
import { after, before, describe, it } from "node:test";
import { encodeEnvelope } from "../src/envelope.ts";
import type { Gateway } from "../src/index.ts";
import { callGrpcWeb } from "./support/grpc-web-request.ts";
import { type RawUpstream, startRawUpstream } from "./support/raw-upstream.ts";
import { closeTestGateways, startTestGateway } from "./support/test-gateway.ts";

type Loss = "destroy" | "goaway then destroy" | "goaway then close";
const losses: readonly Loss[] = ["destroy", "goaway then destroy", "goaway then close"];

const message = Buffer.from("a whole message");
let upstream: RawUpstream;
let gateway: Gateway;

function loseConnection(stream: ServerHttp2Stream, loss: Loss): void {
  stream.respond({ ":status": 200, "content-type": "application/grpc" });
  stream.write(encodeEnvelope(0, message), () => {
    const session = stream.session;
    if (!session) return;
    setImmediate(() => {
      if (loss === "destroy") session.destroy();
      else {
        session.goaway(http2.constants.NGHTTP2_NO_ERROR);
        // The server's grace period is over: what is still open is cut.
        if (loss === "goaway then destroy") setImmediate(() => session.destroy());
        else {
          session.close();
          setImmediate(() => stream.close(http2.constants.NGHTTP2_NO_ERROR));
        }
      }
    });
  });
}

before(async () => {
  upstream = await startRawUpstream((stream, headers) => {
    stream.on("data", () => {});
    loseConnection(stream, headers["x-loss"] as Loss);
  });
  gateway = await startTestGateway(upstream.address);
});
after(async () => {
  await closeTestGateways();
  await upstream.close();
});

for (const text of [false, true]) {
  describe(`the upstream's connection is lost during a server stream (${text ? "text" : "binary"})`, () => {
    for (const loss of losses) {
      it(`${loss}: the message, then UNAVAILABLE naming the upstream`, async () => {
        const result = await callGrpcWeb(gateway.url, "/Teams/WatchTeams", [Buffer.from("q")], {
          text,
          headers: { "x-loss": loss },
        });
        assert.deepEqual(result.messages, [message]);
        assert.equal(result.status, 14, `${loss}: ${result.status} ${result.message}`);
        assert.ok(result.message.includes(upstream.address), result.message);
      });
    }
  });
}
