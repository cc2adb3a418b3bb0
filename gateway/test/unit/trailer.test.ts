import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeEnvelopes } from "../../src/envelope.ts";
import {
  decodeGrpcMessage,
  decodeTrailerBlock,
  encodeGrpcMessage,
  encodeTrailerBlock,
  encodeTrailerFrame,
} from "../../src/trailer.ts";

describe("encodeTrailerFrame", () => {
  it("writes lower-case name:value lines with CRLF in a 0x80 frame", () => {
    const [frame] = decodeEnvelopes(
      encodeTrailerFrame({ "Grpc-Status": "0", "grpc-message": "OK", ":status": "200" }),
    );
    assert.equal(frame?.flags, 0x80);
    assert.equal(String(frame?.data), "grpc-status:0\r\ngrpc-message:OK\r\n");
  });

  it("joins repeated values, -bin ones with a bare comma", () => {
    assert.equal(
      String(encodeTrailerBlock({ "x-a": ["1", "2"], "x-b-bin": ["AA==", "AQ=="] })),
      "x-a:1, 2\r\nx-b-bin:AA==,AQ==\r\n",
    );
  });

  it("round-trips through decodeTrailerBlock", () => {
    const trailers = { "grpc-status": "3", "grpc-message": "bad%20city", "x-id-bin": "AAEC" };
    assert.deepEqual(decodeTrailerBlock(encodeTrailerBlock(trailers)), trailers);
  });
});

describe("grpc-message percent-encoding", () => {
  it("round-trips whitespace, % and non-ASCII, leaving printable ASCII readable", () => {
    const message = "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈 100%\t\n";
    const encoded = encodeGrpcMessage(message);
    assert.match(encoded, /^%09%0Atest with whitespace%0D%0A/);
    assert.ok(!/[^\x20-\x7e]/.test(encoded));
    assert.equal(decodeGrpcMessage(encoded), message);
  });

  it("keeps a malformed escape as written", () => {
    assert.equal(decodeGrpcMessage("50%zz"), "50%zz");
  });
});
