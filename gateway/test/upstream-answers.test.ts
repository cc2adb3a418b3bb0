// What the browser sees for each kind of upstream answer: trailers-only, streamed messages,
// resets, missing trailers, HTTP errors, -bin metadata. Against bare node:http2 servers
// (support/raw-upstream.ts).
import assert from "node:assert/strict";
import http2 from "node:http2";
import { describe, it } from "node:test";
import { callGrpcWeb } from "./support/grpc-web-request.ts";
import { answer } from "./support/raw-upstream.ts";
import { closeAfterEachTest, gatewayOnRawUpstream } from "./support/raw-upstream-gateway.ts";

closeAfterEachTest();

const hello = [Buffer.from("hello")];

describe("upstream answers", () => {
  for (const text of [false, true]) {
    it(`passes a trailers-only answer on as headers with an empty body (${text ? "text" : "binary"})`, async () => {
      const { gateway } = await gatewayOnRawUpstream((stream) => {
        stream.respond(
          {
            ":status": 200,
            "content-type": "application/grpc",
            "grpc-status": "5",
            "grpc-message": "no%20such%20team",
            "x-request-id": "r-1",
          },
          { endStream: true },
        );
      });
      const result = await callGrpcWeb(gateway.url, "/S/M", hello, { text });
      assert.equal(result.httpStatus, 200);
      assert.equal(result.headers["grpc-status"], "5");
      assert.equal(result.headers["grpc-message"], "no%20such%20team");
      assert.equal(result.headers["x-request-id"], "r-1");
      assert.equal(result.rawBody.length, 0);
      assert.equal(result.message, "no such team");
    });
  }

  it("streams each message to the browser as it arrives, not at the end", async () => {
    for (const text of [false, true]) {
      let firstSeen!: () => void;
      const seen = new Promise<void>((resolve) => {
        firstSeen = resolve;
      });
      const { gateway } = await gatewayOnRawUpstream((stream) => {
        stream.respond(
          { ":status": 200, "content-type": "application/grpc" },
          { waitForTrailers: true },
        );
        stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
        stream.write(Buffer.from([0, 0, 0, 0, 3, 0x61, 0x62, 0x63]));
        // The second message waits for the browser to hold the first: buffering would stall here.
        const timeout = setTimeout(
          () => stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR),
          3000,
        );
        void seen.then(() => {
          clearTimeout(timeout);
          stream.end(Buffer.from([0, 0, 0, 0, 1, 0x64]));
        });
      });
      let received = Buffer.alloc(0);
      const result = await callGrpcWeb(gateway.url, "/S/M", hello, {
        text,
        onChunk: (chunk) => {
          received = Buffer.concat([received, chunk]);
          const bytes = text ? Buffer.from(received.toString(), "base64") : received;
          if (bytes.length >= 8) firstSeen();
        },
      });
      assert.equal(result.status, 0, result.message);
      assert.deepEqual(result.messages.map(String), ["abc", "d"]);
    }
  });

  it("turns a reset in mid-stream into a trailer frame the client can read", async () => {
    const { gateway } = await gatewayOnRawUpstream((stream) => {
      stream.respond({ ":status": 200, "content-type": "application/grpc" });
      stream.write(Buffer.from([0, 0, 0, 0, 2, 0x68, 0x69]), () =>
        setTimeout(() => stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR), 20),
      );
    });
    const result = await callGrpcWeb(gateway.url, "/S/M", hello);
    assert.deepEqual(result.messages.map(String), ["hi"]);
    assert.equal(result.trailers["grpc-status"], "13");
    assert.match(result.message, /reset or closed early/);
  });

  it("answers UNAVAILABLE when the upstream connection drops mid-stream", async () => {
    const { gateway, upstream } = await gatewayOnRawUpstream((stream) => {
      stream.respond({ ":status": 200, "content-type": "application/grpc" });
      stream.write(Buffer.from([0, 0, 0, 0, 1, 0x78]), () =>
        setTimeout(() => {
          for (const session of upstream.liveSessions()) session.destroy();
        }, 20),
      );
    });
    const result = await callGrpcWeb(gateway.url, "/S/M", hello, { text: true });
    assert.deepEqual(result.messages.map(String), ["x"]);
    assert.equal(result.status, 14, result.message);
  });

  it("answers INTERNAL when the upstream ends without trailers", async () => {
    const { gateway } = await gatewayOnRawUpstream((stream) => {
      stream.respond({ ":status": 200, "content-type": "application/grpc" });
      stream.end(Buffer.from([0, 0, 0, 0, 1, 0x78]));
    });
    const result = await callGrpcWeb(gateway.url, "/S/M", hello);
    assert.equal(result.status, 13);
    assert.match(result.message, /without trailers/);
  });

  it("maps a non-gRPC HTTP error to a gRPC status and keeps its body as the message", async () => {
    const { gateway } = await gatewayOnRawUpstream((stream) => {
      stream.respond({ ":status": 503, "content-type": "text/plain" });
      stream.end("upstream overloaded");
    });
    const result = await callGrpcWeb(gateway.url, "/S/M", hello);
    assert.equal(result.httpStatus, 200);
    assert.equal(result.status, 14);
    assert.match(result.message, /HTTP 503 .*upstream overloaded/);
  });

  it("passes -bin metadata through untouched and exposes it", async () => {
    const details = Buffer.from([0x08, 0x03, 0x12, 0x01, 0x78]).toString("base64");
    const { gateway } = await gatewayOnRawUpstream((stream) => {
      answer(
        stream,
        [],
        { "grpc-status": "3", "grpc-status-details-bin": details },
        { "x-trace-bin": "AAEC" },
      );
    });
    const result = await callGrpcWeb(gateway.url, "/S/M", hello, {
      headers: { origin: "http://localhost:5173" },
    });
    assert.equal(result.trailers["grpc-status-details-bin"], details);
    assert.equal(result.headers["x-trace-bin"], "AAEC");
    assert.match(String(result.headers["access-control-expose-headers"]), /x-trace-bin/);
  });
});
