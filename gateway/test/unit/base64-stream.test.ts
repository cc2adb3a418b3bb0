import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Base64Decoder, encodeBase64Chunk } from "../../src/base64-stream.ts";

const bytes = Buffer.from(Array.from({ length: 50 }, (_, index) => (index * 37) % 256));

describe("Base64Decoder", () => {
  it("decodes a body split at every possible point", () => {
    const text = bytes.toString("base64");
    for (let cut = 0; cut <= text.length; cut += 1) {
      const decoder = new Base64Decoder();
      const out = Buffer.concat([decoder.push(text.slice(0, cut)), decoder.push(text.slice(cut))]);
      decoder.end();
      assert.ok(out.equals(bytes), `cut at ${cut}`);
    }
  });

  it("decodes separately padded pieces concatenated (padding mid-stream)", () => {
    const pieces = [
      bytes.subarray(0, 1),
      bytes.subarray(1, 3),
      bytes.subarray(3, 10),
      bytes.subarray(10),
    ];
    const decoder = new Base64Decoder();
    const out = decoder.push(pieces.map((piece) => encodeBase64Chunk(piece)).join(""));
    assert.ok(out.equals(bytes));
  });

  it("rejects characters outside the alphabet with their position", () => {
    assert.throws(() => new Base64Decoder().push("AAAAAA-_"), /character 4/);
  });

  it("rejects a body whose length is not a multiple of 4", () => {
    const decoder = new Base64Decoder();
    decoder.push("AAAAAA");
    assert.throws(() => decoder.end(), /2 trailing characters/);
  });
});

describe("encodeBase64Chunk", () => {
  it("pads every chunk on its own, so each can be decoded as it arrives", () => {
    assert.equal(encodeBase64Chunk(Buffer.from("a")), "YQ==");
    assert.equal(encodeBase64Chunk(Buffer.from("abc").subarray(1)), "YmM=");
  });
});
