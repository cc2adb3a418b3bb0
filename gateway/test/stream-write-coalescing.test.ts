// Server-streamed messages that reach the gateway together leave it in one socket write,
// not one write each (issue 15: with one connection per watcher, a write per event per
// watcher was half of the gateway's CPU in the fan-out). Counted on the gateway's own
// sockets to the browser, in binary and text mode; the answer must stay whole.
import assert from "node:assert/strict";
import net from "node:net";
import { after, before, describe, it } from "node:test";
import { encodeEnvelope } from "../src/envelope.ts";
import type { Gateway } from "../src/index.ts";
import { callGrpcWeb } from "./support/grpc-web-request.ts";
import { type RawUpstream, startRawUpstream } from "./support/raw-upstream.ts";
import { closeTestGateways, startTestGateway } from "./support/test-gateway.ts";

const messages = [Buffer.from("one"), Buffer.from("two"), Buffer.from("three")];
let upstream: RawUpstream;
let gateway: Gateway;

// Writes handed to the kernel by the gateway's sockets to the browser (local port: the gateway's).
type WriteMethod = (this: net.Socket, ...args: unknown[]) => void;
const writeMethods = ["_write", "_writev"] as const;
const socketProto = net.Socket.prototype as unknown as Record<string, WriteMethod>;
const realWrites = new Map(writeMethods.map((name) => [name, socketProto[name] as WriteMethod]));
let browserWrites = 0;
for (const [name, real] of realWrites) {
  socketProto[name] = function (this: net.Socket, ...args: unknown[]) {
    if (gateway && this.localPort === gateway.port) browserWrites += 1;
    real.apply(this, args);
  };
}

before(async () => {
  upstream = await startRawUpstream((stream) => {
    stream.on("data", () => {});
    stream.respond(
      { ":status": 200, "content-type": "application/grpc" },
      { waitForTrailers: true },
    );
    stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
    // The head first, then three messages in one go (a server flushing a burst of events).
    setImmediate(() => {
      for (const message of messages) stream.write(encodeEnvelope(0, message));
      setImmediate(() => stream.end());
    });
  });
  gateway = await startTestGateway(upstream.address);
});
after(async () => {
  for (const [name, real] of realWrites) socketProto[name] = real;
  await closeTestGateways();
  await upstream.close();
});

for (const text of [false, true]) {
  describe(`messages that reach the gateway together (${text ? "text" : "binary"})`, () => {
    it("leave it in one write, whole", async () => {
      browserWrites = 0;
      const result = await callGrpcWeb(gateway.url, "/Teams/WatchTeams", [Buffer.from("q")], {
        text,
      });
      assert.deepEqual(result.messages, messages);
      assert.equal(result.status, 0);
      // The head, the three messages, the trailer frame and the last chunk: at most three
      // writes (one per turn that had something to send), not one per message.
      assert.ok(browserWrites <= 3, `${browserWrites} writes for ${messages.length} messages`);
    });
  });
}
