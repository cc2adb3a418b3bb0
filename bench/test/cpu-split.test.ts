import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cpuSplitTable, serverCpuPer10k } from "../src/report/cpu-split.ts";
import { checkTargets, goalText, verdict } from "../src/report/targets.ts";
import type { BenchResults, Point } from "../src/results.ts";

/** A point whose samples spend `front` of `total` CPU s/10k in the front process. */
const point = (system: string, rps: number, cpu: [total: number, front?: number][]): Point => ({
  system,
  concurrency: 64,
  samples: cpu.map(([total, front]) => ({
    rps,
    p50Ms: 1,
    p99Ms: 2,
    cpuPer10k: total,
    ...(front === undefined ? {} : { cpuPer10kFront: front }),
    peakRssMb: 50,
    errors: 0,
  })),
});

const results = (gateway: [number, number][]): BenchResults => ({
  mode: "full",
  command: "npm run bench",
  startedAt: "",
  finishedAt: "",
  machine: { cpus: 2, node: "v20", h2load: "h2load", loadBefore: [], loadAfter: [] },
  config: { concurrency: [64], repeats: 3, seconds: 1 },
  unary: {
    labels: {
      native: "our server, native gRPC",
      "gateway-binary": "our gateway → server, gRPC-Web binary",
      json: "JSON on node:http (REST)",
    },
    failures: [],
    points: [
      point("native", 10_000, [[1.1], [1.0], [1.2]]),
      point("gateway-binary", 7_000, gateway),
      point("json", 40_000, [[0.2, 0.2]]),
    ],
  },
  errors: [],
});

const costTarget = (r: BenchResults) =>
  checkTargets(r).find((t) => t.target.includes("CPU per call"));

describe("the CPU split of rows through a proxy", () => {
  it("charges the server what the system spent beyond its front process", () => {
    assert.equal(serverCpuPer10k(point("x", 1, [[2.5, 1.5]]).samples[0] as never), 1);
  });

  it("shows proxy and server CPU per call side by side, for proxied rows only", () => {
    const table = cpuSplitTable(
      results([
        [2.2, 1.2],
        [2.0, 1.0],
        [2.6, 1.4],
      ]),
      64,
    );
    const rows = table.filter((line) => line.startsWith("| our") || line.startsWith("| JSON"));
    assert.deepEqual(rows, [
      "| our gateway → server, gRPC-Web binary | 0.70× | 1.20 (1.00–1.40) | 1.00 (1.00–1.20) | 1.20× |",
    ]);
  });

  it("meets the gateway cost target at exactly the server's cost, and says by how much it is over", () => {
    const even = costTarget(results([[2.0, 1.0]]));
    assert.ok(even);
    assert.equal(goalText(even), "≤ 1×");
    assert.equal(verdict(even), "met");
    const over = costTarget(results([[2.5, 1.5]]));
    assert.ok(over);
    assert.equal(verdict(over), "missed by 0.50× (50% over)");
  });

  it("says 'not measured' for runs without the gateway's own CPU", () => {
    const old = costTarget(results([[2.0, Number.NaN]]));
    assert.ok(old);
    assert.equal(verdict(old), "not measured");
  });
});
