import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { frameMessage } from "@teams/gateway/grpc-frame";
import { SnapshotComplete, TeamEvent, TeamResponse } from "@teams/server/gen/teams";
import { eventKind, readWatchedEvent, TextEnvelopes } from "../src/load/watcher-event.ts";
import { fanoutTable } from "../src/report/fanout-markdown.ts";
import type { BenchResults } from "../src/results.ts";
import { kbPerWatcher } from "../src/scenarios/fanout.ts";

describe("kbPerWatcher", () => {
  it("divides the RSS growth by the watchers, in KB of 1,000 bytes", () => {
    assert.equal(kbPerWatcher(100_000_000, 136_000_000, 1000), 36);
  });
});

describe("fanoutTable", () => {
  const fanout = {
    watchers: 1000,
    writes: 50,
    p50Ms: 1,
    p99Ms: 2,
    maxMs: 3,
    gatewayKbPerWatcher: 1,
    serverKbPerWatcher: 1,
  };
  const sustained = {
    writesPerSecond: 100,
    writes: 3000,
    fewestReceived: 3000,
    mostReceived: 3000,
    outOfOrder: 0,
    drainMs: 42,
  };
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
  it("shows per write how far the slowest watcher fell behind, and each process's CPU per event", () => {
    const md = fanoutTable({
      fanout: {
        ...fanout,
        sustained: {
          ...sustained,
          lagMs: { p50: 12.34, p99: 480, max: 1200 },
          writesLaggingOverSecond: 3,
          cpuUsPerEvent: { server: 10, gateway: 6, watchers: 4 },
        },
      },
    } as BenchResults).join("\n");
    // 20 µs per event × 100 writes/s × 1,000 watchers = 2 CPU seconds per second
    assert.match(md, /\| 12\.3 \| 480\.0 \| 1,200\.0 \| 3 \| 10\.0 \| 6\.0 \| 4\.0 \| 2\.00 \|/);
  });
  it("leaves the section out of a run without the fan-out scenario", () => {
    assert.deepEqual(fanoutTable({} as BenchResults), []);
  });
});

describe("TextEnvelopes and readWatchedEvent", () => {
  const put = new TeamEvent({
    version: 2 ** 40 + 7,
    put: new TeamResponse({ city: "São Paulo", nickname: "Saci", found: true, version: 9 }),
  });
  const done = new TeamEvent({ version: 3, snapshot_complete: new SnapshotComplete() });
  const text = [put, done]
    .map((event) => frameMessage(event.serializeBinary()).toString("base64"))
    .join("");
  it("reads a put's version and city and a snapshot's end, across any chunk boundary", () => {
    for (let cut = 0; cut <= text.length; cut++) {
      const frames = new TextEnvelopes();
      const envelopes = [
        ...frames.push(Buffer.from(text.slice(0, cut), "latin1")),
        ...frames.push(Buffer.from(text.slice(cut), "latin1")),
      ];
      assert.deepEqual(
        envelopes.map((e) => readWatchedEvent(e.data)),
        [
          { version: 2 ** 40 + 7, kind: eventKind.put, city: "São Paulo" },
          { version: 3, kind: eventKind.snapshotComplete, city: "" },
        ],
        `cut at ${cut}`,
      );
    }
  });
  it("refuses an event that runs past its end", () => {
    const bytes = Buffer.from(put.serializeBinary());
    assert.throws(() => readWatchedEvent(bytes.subarray(0, bytes.length - 2)), /TeamEvent/);
  });
});
