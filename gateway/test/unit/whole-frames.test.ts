import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encodeEnvelope } from "../../src/envelope.ts";
import { WholeFrames } from "../../src/whole-frames.ts";

const frames = Buffer.concat([
  encodeEnvelope(0, Buffer.alloc(300, 1)),
  encodeEnvelope(0, Buffer.alloc(0)),
  encodeEnvelope(0, Buffer.from("hi")),
]);
const ends = [305, 310, frames.length];

describe("WholeFrames", () => {
  it("relays only whole frames, however the bytes are cut, and loses none", () => {
    for (const cut of [1, 2, 3, 7, 64, frames.length]) {
      const relay = new WholeFrames();
      const out: Buffer[] = [];
      for (let offset = 0; offset < frames.length; offset += cut) {
        out.push(relay.push(frames.subarray(offset, offset + cut)));
        const relayed = Buffer.concat(out).length;
        assert.ok(relayed === 0 || ends.includes(relayed), `cut ${cut}: relayed ${relayed}`);
        assert.ok(relay.atBoundary);
      }
      assert.deepEqual(Buffer.concat(out), frames);
      assert.equal(relay.incomplete, false);
      assert.equal(relay.frames, 3, `cut ${cut}: each message counted once`);
    }
  });

  it("holds back a half frame, and reports it incomplete", () => {
    const relay = new WholeFrames();
    assert.equal(relay.push(frames.subarray(0, 40)).length, 0);
    assert.ok(relay.atBoundary, "nothing of it was relayed");
    assert.ok(relay.incomplete);
    assert.equal(relay.frames, 0);
  });

  it("streams a frame larger than the bound through, and is then not at a boundary", () => {
    const relay = new WholeFrames(100);
    assert.equal(relay.push(frames.subarray(0, 40)).length, 40);
    assert.equal(relay.atBoundary, false);
    assert.equal(relay.push(frames.subarray(40, 306)).length, 265, "rest of frame 1; 1 byte held");
    assert.ok(relay.atBoundary);
    assert.deepEqual(relay.push(frames.subarray(306)), frames.subarray(305));
    assert.equal(relay.frames, 3, "the large one counted once, as it began");
  });
});
