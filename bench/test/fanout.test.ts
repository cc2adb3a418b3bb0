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
  it("says whether every event of the steady write rate reached every watcher exactly once", () => {
    const sustained = {
      writesPerSecond: 99.6,
      writes: 3000,
      fewestReceived: 3000,
      mostReceived: 3000,
      outOfOrder: 0,
      drainMs: 42,
    };
    const fanout = {
      watchers: 1000,
      writes: 50,
      p50Ms: 1,
      p99Ms: 2,
      maxMs: 3,
      gatewayKbPerWatcher: 1,
      serverKbPerWatcher: 1,
    };
    const exact = fanoutTable({ fanout: { ...fanout, sustained } } as BenchResults).join("\n");
    assert.match(
      exact,
      /3,000 writes sent at 100\/s .* \*\*every event to every watcher exactly once\*\*/,
    );
    const lost = fanoutTable({
      fanout: { ...fanout, sustained: { ...sustained, fewestReceived: 2999 } },
    } as BenchResults).join("\n");
    assert.match(
      lost,
      /received 2,999 to 3,000 of them.*\*\*events lost, repeated or reordered\*\*/,
    );
  });
  it("leaves the section out of a run without the fan-out scenario", () => {
    assert.deepEqual(fanoutTable({} as BenchResults), []);
  });
});
