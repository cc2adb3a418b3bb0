// grpc-web's interop test list, each case in text and binary, through the gateway
// to a grpc-js server (test/support/interop-upstream.ts).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { eventually } from "./support/eventually.ts";
import { callGrpcWeb } from "./support/grpc-web-request.ts";
import { useInteropGateway } from "./support/interop-gateway.ts";
import { command, payload, servicePath } from "./support/interop-upstream.ts";

const interop = useInteropGateway();

for (const text of [false, true]) {
  const mode = text ? "text" : "binary";
  const call = (method: string, messages: Uint8Array[], headers: Record<string, string> = {}) =>
    callGrpcWeb(interop.gateway.url, `${servicePath}/${method}`, messages, { text, headers });

  describe(`interop cases, ${mode}`, () => {
    it("empty_unary: an empty request gets one empty message and OK", async () => {
      const result = await call("EmptyCall", [Buffer.alloc(0)]);
      assert.equal(result.httpStatus, 200);
      assert.equal(
        result.headers["content-type"],
        text ? "application/grpc-web-text+proto" : "application/grpc-web+proto",
      );
      assert.deepEqual(result.messages, [Buffer.alloc(0)]);
      assert.equal(result.status, 0);
    });

    it("large_unary: a 271828-byte request gets a 314159-byte answer, byte for byte", async () => {
      const result = await call("UnaryCall", [command({ responseSize: 314159 }, 271828)]);
      assert.equal(result.status, 0);
      assert.equal(result.messages.length, 1);
      assert.ok(result.messages[0]?.equals(payload(314159)));
    });

    it("server_streaming: four messages of the interop sizes, in order", async () => {
      const sizes = [31415, 9, 2653, 58979];
      const result = await call("StreamingOutputCall", [command({ sizes })]);
      assert.equal(result.status, 0);
      assert.deepEqual(
        result.messages.map((message) => message.length),
        sizes,
      );
      result.messages.forEach((message, index) => {
        assert.ok(message.equals(payload(sizes[index] as number, index)));
      });
    });

    it("custom_metadata: initial metadata comes back as headers, -bin trailing metadata as trailers", async () => {
      const trailing = Buffer.from([0xab, 0xab, 0xab]).toString("base64");
      for (const method of ["UnaryCall", "StreamingOutputCall"]) {
        const body =
          method === "UnaryCall" ? command({ responseSize: 314159 }) : command({ sizes: [9] });
        const result = await call(method, [body], {
          "x-grpc-test-echo-initial": "test_initial_metadata_value",
          "x-grpc-test-echo-trailing-bin": trailing,
        });
        assert.equal(result.status, 0, method);
        assert.equal(result.headers["x-grpc-test-echo-initial"], "test_initial_metadata_value");
        assert.equal(
          Buffer.from(result.trailers["x-grpc-test-echo-trailing-bin"] ?? "", "base64").toString(
            "hex",
          ),
          "ababab",
        );
      }
    });

    it("status_code_and_message: code 2 and the message reach the client", async () => {
      const result = await call("UnaryCall", [
        command({ status: { code: 2, message: "test status message" } }),
      ]);
      assert.equal(result.status, 2);
      assert.equal(result.message, "test status message");
    });

    it("special_status_message: whitespace and non-ASCII survive percent-encoding", async () => {
      const message = "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n";
      const result = await call("UnaryCall", [command({ status: { code: 2, message } })]);
      assert.equal(result.status, 2);
      assert.equal(result.message, message);
    });

    it("unimplemented_method: UNIMPLEMENTED from the server", async () => {
      const result = await call("UnimplementedCall", [Buffer.alloc(0)]);
      assert.equal(result.status, 12);
    });

    it("unimplemented_service: UNIMPLEMENTED from the server", async () => {
      const result = await callGrpcWeb(
        interop.gateway.url,
        "/grpc.testing.UnimplementedService/UnimplementedCall",
        [Buffer.alloc(0)],
        { text },
      );
      assert.equal(result.status, 12);
    });

    it("many small messages: 500 stream messages arrive complete and in order", async () => {
      const sizes = Array.from({ length: 500 }, (_, index) => (index % 7) + 1);
      const result = await call("StreamingOutputCall", [command({ sizes })]);
      assert.equal(result.status, 0);
      assert.deepEqual(
        result.messages.map((message) => message.length),
        sizes,
      );
      assert.ok(result.messages[499]?.equals(payload(sizes[499] as number, 499)));
    });
  });
}

describe("deadline and cancellation, against grpc-js", () => {
  it("ends a stream that outlives grpc-timeout with DEADLINE_EXCEEDED", async () => {
    const result = await callGrpcWeb(
      interop.gateway.url,
      `${servicePath}/StreamingOutputCall`,
      [command({ sizes: [1, 1, 1, 1, 1], intervalMs: 100 })],
      { text: true, headers: { "grpc-timeout": "150m" } },
    );
    assert.equal(result.status, 4, result.message);
    assert.ok(result.messages.length < 5);
  });

  it("cancels the server-side call when the browser aborts mid-stream", async () => {
    const before = interop.upstream.cancelled();
    const abort = new AbortController();
    const call = callGrpcWeb(
      interop.gateway.url,
      `${servicePath}/StreamingOutputCall`,
      [command({ sizes: Array.from({ length: 100 }, () => 8), intervalMs: 20 })],
      { signal: abort.signal, onChunk: () => abort.abort() },
    );
    await assert.rejects(call);
    await eventually(() => interop.upstream.cancelled() === before + 1);
    await eventually(() => interop.gateway.upstreamStats().openStreams === 0);
  });
});
