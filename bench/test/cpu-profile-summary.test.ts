import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  type CpuProfile,
  profileTable,
  shortFile,
  summarizeProfile,
} from "../src/profile/cpu-profile-summary.ts";

// (root) -> handle (gateway) -> write (node:net); (idle) beside them. One sample per ms.
const frame = (functionName: string, url = "", lineNumber = 0) => ({
  functionName,
  url,
  lineNumber,
});
const profile: CpuProfile = {
  startTime: 1_000,
  nodes: [
    { id: 1, callFrame: frame("(root)"), children: [2, 4] },
    {
      id: 2,
      callFrame: frame("handle", "file:///w/gateway/src/grpc-web-handler.ts", 9),
      children: [3],
    },
    { id: 3, callFrame: frame("write", "node:net", 99) },
    { id: 4, callFrame: frame("(idle)") },
  ],
  samples: [2, 3, 3, 4, 3, 2],
  timeDeltas: [0, 1000, 1000, 1000, 1000, 1000],
};

describe("summarizeProfile", () => {
  it("charges each sample's time to its function and to every caller once, idle left out", () => {
    const summary = summarizeProfile(profile);
    assert.equal(summary.busyMs, 5);
    const byName = new Map(summary.functions.map((l) => [l.what, l]));
    assert.deepEqual(byName.get("write node:net:100"), {
      what: "write node:net:100",
      selfMs: 3,
      totalMs: 3,
    });
    const handle = byName.get("handle gateway/src/grpc-web-handler.ts:10");
    assert.deepEqual([handle?.selfMs, handle?.totalMs], [2, 5]);
    assert.equal(summary.functions[0]?.what, "write node:net:100", "largest self time first");
  });

  it("keeps only the samples in a window of the profile's clock", () => {
    // Samples fall at 1000, 2000, ... 6000 µs; the window keeps 3000 to 5000 (idle at 4000).
    const summary = summarizeProfile(profile, (us) => us >= 3000 && us <= 5000);
    assert.equal(summary.busyMs, 2);
  });

  it("names files from the package or the repository folder", () => {
    assert.equal(
      shortFile("file:///x/node_modules/prom-client/lib/counter.js"),
      "prom-client/lib/counter.js",
    );
    assert.equal(shortFile("file:///work/wt/a/gateway/src/cors.ts"), "gateway/src/cors.ts");
    assert.equal(shortFile("node:events"), "node:events");
  });

  it("renders shares of the busy time", () => {
    const summary = summarizeProfile(profile);
    assert.deepEqual(profileTable(summary.functions, summary.busyMs, 1), [
      "| self | total | where |",
      "|---:|---:|---|",
      "| 60.0% | 60.0% | `write node:net:100` |",
    ]);
  });
});
