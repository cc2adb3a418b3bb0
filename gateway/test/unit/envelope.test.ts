import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  decodeEnvelopes,
  EnvelopeDecoder,
  encodeEnvelope,
  RequestFrameScanner,
  trailerFlag,
} from "../../src/envelope.ts";
import { Code, GatewayError } from "../../src/status.ts";

describe("encodeEnvelope / EnvelopeDecoder", () => {
  it("round-trips frames however the bytes are cut", () => {
    const frames = [
      encodeEnvelope(0, Buffer.from("first")),
      encodeEnvelope(0, Buffer.alloc(0)),
      encodeEnvelope(trailerFlag, Buffer.from("grpc-status:0\r\n")),
    ];
    const body = Buffer.concat(frames);
    for (let cut = 1; cut < body.length; cut += 1) {
      const decoder = new EnvelopeDecoder();
      const decoded = [...decoder.push(body.subarray(0, cut)), ...decoder.push(body.subarray(cut))];
      assert.deepEqual(
        decoded.map((frame) => [frame.flags, String(frame.data)]),
        [
          [0, "first"],
          [0, ""],
          [0x80, "grpc-status:0\r\n"],
        ],
      );
      assert.equal(decoder.pending, 0);
    }
  });

  it("writes the length big-endian after the flags byte", () => {
    assert.deepEqual([...encodeEnvelope(1, Buffer.from([9, 9]))], [1, 0, 0, 0, 2, 9, 9]);
  });

  it("rejects a complete body that ends inside a frame", () => {
    assert.throws(() => decodeEnvelopes(Buffer.from([0, 0, 0, 0, 4, 1])), /ends inside a frame/);
  });
});

describe("RequestFrameScanner", () => {
  it("counts messages across chunks without holding them", () => {
    const scanner = new RequestFrameScanner(100);
    const body = Buffer.concat([
      encodeEnvelope(0, Buffer.from("abc")),
      encodeEnvelope(0, Buffer.alloc(0)),
    ]);
    for (const byte of body) scanner.push(Buffer.from([byte]));
    scanner.end();
    assert.equal(scanner.messages, 2);
  });

  it("throws RESOURCE_EXHAUSTED as soon as a prefix announces too large a message", () => {
    const scanner = new RequestFrameScanner(10);
    assert.throws(
      () => scanner.push(Buffer.from([0, 0, 0, 0, 11])),
      (error: unknown) => error instanceof GatewayError && error.code === Code.RESOURCE_EXHAUSTED,
    );
  });

  it("throws INVALID_ARGUMENT for unknown flags and for a body cut short", () => {
    assert.throws(
      () => new RequestFrameScanner(10).push(Buffer.from([2, 0, 0, 0, 0])),
      /flags byte 0x2/,
    );
    const short = new RequestFrameScanner(10);
    short.push(Buffer.from([0, 0, 0, 0, 3, 1]));
    assert.throws(() => short.end(), /2 bytes missing/);
  });
});
