import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fanoutTable } from "../src/report/fanout-markdown.ts";
import type { BenchResults } from "../src/results.ts";
import { kbPerWatcher } from "../src/scenarios/fanout.ts";

describe("kbPerWatcher", () => {
  it("divides the RSS growth by the watchers, in KB of 1,000 bytes", () => {
    assert.equal(kbPerWatcher(100_000_000, 136_000_000, 1000), 36);
  });
});

describe("fanoutTable", () => {
  it("shows the last watcher's delay and each process's memory per watcher", () => {
    const md = fanoutTable({
      fanout: {
        watchers: 1000,
        writes: 50,
        p50Ms: 81.26,
        p99Ms: 190,
        maxMs: 201.5,
        gatewayKbPerWatcher: 36.71,
        serverKbPerWatcher: 17.64,
      },
    } as BenchResults).join("\n");
    assert.match(md, /\| 1,000 \| 50 \| 81\.3 \| 190\.0 \| 201\.5 \| 36\.7 \| 17\.6 \|/);
  });
  it("leaves the section out of a run without the fan-out scenario", () => {
    assert.deepEqual(fanoutTable({} as BenchResults), []);
  });
});
