import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { median, percentile, ratio, spread } from "../src/stats.ts";

describe("percentile", () => {
  it("takes the nearest rank, so p99 of 100 values is the 99th smallest", () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    assert.equal(percentile(values, 99), 99);
    assert.equal(percentile(values, 50), 50);
    assert.equal(percentile(values, 100), 100);
    assert.equal(percentile(values, 0), 1);
  });
  it("returns NaN for no samples instead of inventing a latency", () => {
    assert.ok(Number.isNaN(percentile([], 50)));
  });
  it("rejects a percentile outside 0..100", () => {
    assert.throws(() => percentile([1], 101), /p: must be 0 to 100, got 101/);
  });
});

describe("median and spread", () => {
  it("takes the middle of an odd count and the mean of the middle two of an even count", () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
  });
  it("reports median, min and max of three runs, leaving out a failed (NaN) run", () => {
    assert.deepEqual(spread([900, 1100, 1000]), { median: 1000, min: 900, max: 1100 });
    assert.deepEqual(spread([900, Number.NaN, 1000]), { median: 950, min: 900, max: 1000 });
  });
  it("gives NaN ratios when a side is missing or zero", () => {
    assert.equal(ratio(6, 10), 0.6);
    assert.ok(Number.isNaN(ratio(6, 0)));
    assert.ok(Number.isNaN(ratio(Number.NaN, 10)));
  });
});
