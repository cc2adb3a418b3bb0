import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FrameCounter, grpcFrame, parseTrailer, readGrpcFrames } from "../src/grpc-frame.ts";
import { encodeTeamRequest } from "../src/teams-schema.ts";

describe("grpcFrame", () => {
  it("prefixes a TeamRequest with flag 0 and its big-endian length, as h2load must send it", () => {
    const frame = grpcFrame(encodeTeamRequest("Chicago"));
    assert.equal(
      frame.toString("hex"),
      `0000000009${"0a07"}${Buffer.from("Chicago").toString("hex")}`,
    );
  });
  it("round-trips through readGrpcFrames, trailer flag included", () => {
    const body = Buffer.concat([
      grpcFrame(Buffer.from("ab")),
      grpcFrame(Buffer.from("grpc-status: 0"), 0x80),
    ]);
    const frames = readGrpcFrames(body);
    assert.deepEqual(
      frames.map((f) => [f.flag, f.payload.toString()]),
      [
        [0, "ab"],
        [0x80, "grpc-status: 0"],
      ],
    );
  });
  it("refuses a body cut inside a frame", () => {
    assert.throws(() => readGrpcFrames(grpcFrame(Buffer.from("abcdef")).subarray(0, 8)), /wants 6/);
  });
});

describe("parseTrailer", () => {
  it("reads grpc-status and grpc-message with lower-cased keys", () => {
    const t = parseTrailer(Buffer.from("Grpc-Status: 5\r\ngrpc-message: no%20team\r\n"));
    assert.deepEqual(t, { "grpc-status": "5", "grpc-message": "no%20team" });
  });
});

describe("FrameCounter", () => {
  it("counts messages and keeps the trailer however the bytes are split", () => {
    const body = Buffer.concat([
      ...Array.from({ length: 50 }, (_, i) => grpcFrame(Buffer.from(`team ${i}`))),
      grpcFrame(Buffer.from("grpc-status: 0\r\n"), 0x80),
    ]);
    for (const size of [1, 3, 7, 64, body.length]) {
      const counter = new FrameCounter();
      for (let at = 0; at < body.length; at += size) counter.push(body.subarray(at, at + size));
      assert.equal(counter.messages, 50, `chunks of ${size}`);
      assert.equal(counter.leftover, 0);
      assert.equal(parseTrailer(counter.trailer ?? Buffer.alloc(0))["grpc-status"], "0");
    }
  });
  it("reports stray bytes when the body ends inside a frame", () => {
    const counter = new FrameCounter();
    counter.push(grpcFrame(Buffer.from("abc")).subarray(0, 6));
    assert.equal(counter.messages, 0);
    assert.equal(counter.leftover, 6);
  });
});
