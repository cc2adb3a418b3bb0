import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkTargets, goalText, measuredText, verdict } from "../src/report/targets.ts";
import type { BenchResults, ImportSample, Point } from "../src/results.ts";

const point = (system: string, concurrency: number, rps: number[]): Point => ({
  system,
  concurrency,
  samples: rps.map((r) => ({ rps: r, p50Ms: 1, p99Ms: 2, cpuPer10k: 1, peakRssMb: 50, errors: 0 })),
});

const results: BenchResults = {
  mode: "full",
  command: "npm run bench",
  startedAt: "",
  finishedAt: "",
  machine: { cpus: 2, node: "v20", h2load: "h2load", loadBefore: [], loadAfter: [] },
  config: { concurrency: [16, 64], repeats: 3, seconds: 1 },
  unary: {
    labels: {},
    failures: [],
    points: [
      point("native", 64, [10_000, 9_000, 11_000]),
      point("gateway-binary", 64, [4_000, 5_000, 9_000]),
      point("native", 16, [8_000, 8_000, 8_000]),
      point("python", 16, [3_000, 4_000, 5_000]),
      point("floor", 64, [12_000, 12_500, 11_000]),
    ],
  },
  streaming: [
    {
      path: "gateway",
      teams: 1_000_000,
      samples: [90, 120, 100].map((mb) => ({
        messagesPerSecond: 1,
        seconds: 1,
        messages: 1,
        cpuPer10k: 1,
        serverPeakRssMb: 100,
        serverRssBeforeMb: 90,
        gatewayPeakRssMb: mb,
      })),
    },
  ],
  errors: [],
};

describe("checkTargets", () => {
  it("compares medians of the same run: gateway 5000 / native 10000 = 0.5x", () => {
    const [gateway, python, floor, memory] = checkTargets(results);
    assert.equal(gateway?.measured, 0.5);
    assert.equal(python?.measured, 2);
    assert.equal(floor?.measured, 10_000 / 12_000);
    assert.equal(memory?.measured, 120, "the worst repeat counts for a memory ceiling");
  });
  it("says 'not measured' when a side of the ratio is missing", () => {
    const checks = checkTargets({ ...results, unary: undefined, streaming: undefined });
    assert.deepEqual(new Set(checks.map(verdict)), new Set(["not measured"]));
    assert.equal(checks.length, 16);
  });
});

const sqliteImport = (teamsPerSecond: number, serverPeakRssMb: number): ImportSample => ({
  teams: 1_000_000,
  seconds: 1_000_000 / teamsPerSecond,
  teamsPerSecond,
  created: 1_000_000,
  rejected: 0,
  cpuPer10k: 1,
  serverRssBeforeMb: 60,
  serverPeakRssMb,
});

describe("checkTargets on the stores", () => {
  const withStores: BenchResults = {
    ...results,
    unary: {
      labels: {},
      failures: [],
      points: [
        ...(results.unary?.points ?? []),
        point("native-postgres", 64, [6_000, 7_000, 8_000]),
      ],
    },
    writes: [
      {
        store: "sqlite",
        label: "SQLite",
        import: sqliteImport(40_000, 180),
        putConcurrency: 16,
        put: [],
      },
    ],
  };
  const [, , , , postgres, rate, memory] = checkTargets(withStores);
  it("compares PostgreSQL's GetTeam with SQLite's in the same run: 7000 / 10000", () => {
    assert.ok(postgres);
    assert.equal(postgres.measured, 0.7);
    assert.equal(verdict(postgres), "met");
  });
  it("reads the SQLite import rate and peak RSS, with teams/s in goal, figure and miss", () => {
    assert.ok(rate && memory);
    assert.equal(goalText(rate), "≥ 50,000 teams/s");
    assert.equal(measuredText(rate), "40,000 teams/s");
    assert.equal(verdict(rate), "missed by 10,000 teams/s (20% short)");
    assert.equal(goalText(memory), "< 250 MB");
    assert.equal(verdict(memory), "met");
    assert.match(rate.basis, /^1,000,000 teams/);
  });
});

describe("checkTargets on the million-team footprint and growth", () => {
  const footprint = (startupMs: number, restRssMb: number, listPeakRssMb: number) => ({
    teams: 1_000_000,
    startupMs,
    startupCpuSeconds: 0.7,
    restRssMb,
    listMessages: 1_000_000,
    listSeconds: 12,
    listCpuPer10k: 0.1,
    listPeakRssMb,
  });
  const growth = (
    store: "sqlite" | "postgres",
    op: "GetTeam" | "ListTeams",
    size: number,
    p50Ms: number,
  ) => ({
    store,
    size,
    op,
    concurrency: 1,
    samples: [{ rps: 1000, p50Ms, p99Ms: p50Ms * 2, cpuPer10k: 1, peakRssMb: 90, errors: 0 }],
  });
  const checks = checkTargets({
    ...results,
    writes: [
      {
        store: "sqlite",
        label: "SQLite",
        footprint: footprint(900, 98, 131),
        putConcurrency: 16,
        put: [],
      },
      {
        store: "postgres",
        label: "PostgreSQL",
        footprint: footprint(2400, 96, 160),
        putConcurrency: 16,
        put: [],
      },
    ],
    growth: [
      growth("sqlite", "GetTeam", 10, 0.2),
      growth("sqlite", "GetTeam", 1_000_000, 0.22),
      growth("postgres", "ListTeams", 10, 0.5),
      growth("postgres", "ListTeams", 10_000, 0.6),
      growth("postgres", "ListTeams", 1_000_000, 1.0),
    ],
  });
  const byTarget = (start: string) => checks.find((c) => c.target.startsWith(start));
  it("checks the worse store's start-up and RSS against the issue's goals", () => {
    const startup = byTarget("Start-up");
    const rest = byTarget("Server RSS at rest");
    const streaming = byTarget("Server RSS while");
    assert.ok(startup && rest && streaming);
    assert.equal(startup.measured, 2400);
    assert.equal(verdict(startup), "missed by 400.00 ms (20% over)");
    assert.equal(verdict(rest), "met");
    assert.equal(streaming.measured, 160);
    assert.match(streaming.basis, /SQLite and PostgreSQL/);
  });
  it("checks each store's latency at the largest size against its smallest", () => {
    const get = byTarget("GetTeam on SQLite");
    const list = byTarget("Prefix ListTeams on PostgreSQL");
    assert.ok(get && list);
    assert.equal(verdict(get), "met");
    assert.equal(list.measured, 2);
    assert.equal(verdict(list), "missed by 0.50× (33% over)");
  });
});

describe("verdict", () => {
  it("says by how much a ratio target is missed", () => {
    const [gateway] = checkTargets(results);
    assert.ok(gateway);
    assert.equal(verdict(gateway), "missed by 0.20× (29% short)");
  });
  it("meets an at-least target exactly at the goal and a below target under it", () => {
    const [, python, , memory] = checkTargets(results);
    assert.ok(python && memory);
    assert.equal(verdict(python), "met");
    assert.equal(verdict(memory), "met");
    assert.equal(verdict({ ...memory, measured: 180 }), "missed by 30.00 MB (20% over)");
  });
  it("keeps a near miss visible instead of rounding it to the goal", () => {
    const [, , floor] = checkTargets(results);
    assert.ok(floor);
    const near = { ...floor, measured: 0.7986 };
    assert.equal(verdict(near), "missed by 0.001× (0.2% short)");
    assert.equal(measuredText(near), "0.799×");
    assert.equal(measuredText({ ...floor, measured: 0.8312 }), "0.83×");
  });
});

describe("checkTargets on the WatchTeams fan-out", () => {
  const sustained = {
    writesPerSecond: 99.7,
    writes: 3000,
    fewestReceived: 3000,
    mostReceived: 3000,
    outOfOrder: 0,
    drainMs: 15_100,
    lagMs: { p50: 7_000, p99: 14_900, max: 15_100 },
    writesLaggingOverSecond: 2_800,
    cpuUsPerEvent: { server: 14, gateway: 12, watchers: 15 },
  };
  const [delay, gateway, server, lag, exact] = checkTargets({
    ...results,
    fanout: {
      watchers: 1000,
      writes: 50,
      p50Ms: 80,
      p99Ms: 300,
      maxMs: 310,
      gatewayKbPerWatcher: 36.7,
      serverKbPerWatcher: 17.6,
      sustained,
    },
  }).slice(-5);
  it("reads the last watcher's p99 against 250 ms and says by how much it is missed", () => {
    assert.ok(delay);
    assert.equal(goalText(delay), "< 250 ms");
    assert.equal(measuredText(delay), "300.0 ms");
    assert.equal(verdict(delay), "missed by 50.00 ms (20% over)");
    assert.match(delay.basis, /last of 1,000 watchers decoding it, p99 over 50 writes/);
  });
  it("checks the memory per idle watcher of the gateway and of the server, each under 50 KB", () => {
    assert.ok(gateway && server);
    assert.equal(measuredText(gateway), "36.7 KB");
    assert.equal(goalText(server), "< 50 KB");
    assert.deepEqual([verdict(gateway), verdict(server)], ["met", "met"]);
  });
  it("reads 'falls behind' as the slowest write's lag past 1 s, and exactly-once apart", () => {
    assert.ok(lag && exact);
    assert.equal(goalText(lag), "≤ 1000 ms");
    assert.equal(measuredText(lag), "15100.0 ms");
    assert.match(verdict(lag), /^missed by 14100.00 ms/);
    assert.match(lag.basis, /3,000 writes at 100\/s to 1,000 watchers/);
    assert.deepEqual([measuredText(exact), verdict(exact)], ["0 events", "met"]);
  });
  it("counts lost, repeated and reordered events against exactly once", () => {
    const [, , , , broken] = checkTargets({
      ...results,
      fanout: {
        watchers: 2,
        writes: 1,
        p50Ms: 1,
        p99Ms: 1,
        maxMs: 1,
        gatewayKbPerWatcher: 1,
        serverKbPerWatcher: 1,
        sustained: { ...sustained, fewestReceived: 2998, mostReceived: 3001, outOfOrder: 4 },
      },
    }).slice(-5);
    assert.ok(broken);
    assert.equal(broken.measured, 2 + 1 + 4);
    assert.match(verdict(broken), /^missed by/);
  });
});
