// The codec deploy/ and bench/ import as "@teams/gateway/grpc-frame".
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  decodeBase64Body,
  decodeGrpcWebBody,
  EnvelopeDecoder,
  encodeEnvelope,
  frameMessage,
  trailerFlag,
} from "../../src/grpc-frame.ts";

const okTrailer = encodeEnvelope(
  trailerFlag,
  Buffer.from("Grpc-Status: 0\r\ngrpc-message: ok\r\n"),
);

describe("frameMessage", () => {
  it("prefixes a message with flags 0 and its big-endian length, as h2load must send it", () => {
    assert.equal(
      frameMessage(Buffer.from("Chicago")).toString("hex"),
      `0000000007${Buffer.from("Chicago").toString("hex")}`,
    );
  });
});

describe("decodeGrpcWebBody", () => {
  it("splits messages from the trailer frame, trailer names lower-cased", () => {
    const body = Buffer.concat([
      frameMessage(Buffer.from("ab")),
      frameMessage(Buffer.alloc(0)),
      okTrailer,
    ]);
    const answer = decodeGrpcWebBody(body);
    assert.deepEqual(answer.messages.map(String), ["ab", ""]);
    assert.deepEqual(answer.trailers, { "grpc-status": "0", "grpc-message": "ok" });
  });

  it("keeps the status a trailers-only answer carries in its headers", () => {
    const answer = decodeGrpcWebBody(Buffer.alloc(0), { "grpc-status": "14" });
    assert.deepEqual(answer, { messages: [], trailers: { "grpc-status": "14" } });
  });

  it("streams: counts messages however the bytes are split, and holds a cut frame's bytes", () => {
    const body = Buffer.concat([
      ...Array.from({ length: 20 }, (_, i) => frameMessage(Buffer.from(`team ${i}`))),
      okTrailer,
    ]);
    for (const size of [1, 3, 7, 64, body.length]) {
      const decoder = new EnvelopeDecoder();
      const frames = [];
      for (let at = 0; at < body.length; at += size)
        frames.push(...decoder.push(body.subarray(at, at + size)));
      assert.equal(
        frames.filter((f) => (f.flags & trailerFlag) === 0).length,
        20,
        `chunks of ${size}`,
      );
      assert.equal(decoder.pending, 0);
    }
    const cut = new EnvelopeDecoder();
    assert.deepEqual(cut.push(frameMessage(Buffer.from("abc")).subarray(0, 6)), []);
    assert.equal(cut.pending, 6);
  });

  it("refuses a body cut inside a frame", () => {
    const cut = frameMessage(Buffer.from("abcdef")).subarray(0, 8);
    assert.throws(() => decodeGrpcWebBody(cut), /ends inside a frame/);
  });
});

describe("decodeBase64Body", () => {
  it("decodes text answers made of several separately padded base64 runs", () => {
    const first = frameMessage(Buffer.from("ab")).toString("base64");
    assert.ok(first.endsWith("="), "the first run is padded, as proxies send it");
    const body = decodeBase64Body(first + okTrailer.toString("base64"));
    const answer = decodeGrpcWebBody(body);
    assert.deepEqual(answer.messages.map(String), ["ab"]);
    assert.equal(answer.trailers["grpc-status"], "0");
    assert.deepEqual(decodeBase64Body("YQ==Yg=="), Buffer.from("ab"));
  });

  it("refuses text that is not base64", () => {
    assert.throws(() => decodeBase64Body("YQ=!"), /not valid base64/);
  });
});
