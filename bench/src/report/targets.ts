// The issues' targets, checked against one run's medians (never across runs).
import type { BenchResults, Point } from "../results.ts";
import { ratio, spread } from "../stats.ts";
import { cpuSplit } from "./cpu-split.ts";
import { num } from "./format.ts";
import { growthSlowdowns } from "./growth-markdown.ts";

/** One row of the Targets table. */
export interface TargetCheck {
  target: string;
  /** The measured ratio, MB for a memory target, teams/s for a rate. */
  measured: number;
  unit: "x" | "MB" | "teams/s" | "ms" | "KB" | "events";
  /** Met when measured >= goal ("atLeast"), <= goal ("atMost") or < goal ("below"). */
  goal: number;
  direction: "atLeast" | "atMost" | "below";
  /** What the figure was computed from, for the reader. */
  basis: string;
}

/** Median requests per second of a system at a concurrency, NaN when not measured. */
export function medianRps(points: readonly Point[], system: string, concurrency: number): number {
  const point = points.find((p) => p.system === system && p.concurrency === concurrency);
  return spread(point?.samples.map((s) => s.rps) ?? []).median;
}

export function checkTargets(results: BenchResults): TargetCheck[] {
  const points = results.unary?.points ?? [];
  const rps = (system: string, c: number) => medianRps(points, system, c);
  // Both gateway rows count: a fast reader and a stalled one must each stay under the ceiling.
  const gatewayRows = results.streaming?.filter((r) => r.path !== "native") ?? [];
  const gatewayStream = gatewayRows[0];
  const gatewayPeak = spread(
    gatewayRows.flatMap((r) => r.samples.map((s) => s.gatewayPeakRssMb ?? Number.NaN)),
  );
  const streamTeams = gatewayStream?.teams.toLocaleString("en-US") ?? "?";
  return [
    {
      target: "Gateway gRPC-Web (binary) throughput at c=64 ≥ 0.7× native gRPC to the same server",
      measured: ratio(rps("gateway-binary", 64), rps("native", 64)),
      unit: "x",
      goal: 0.7,
      direction: "atLeast",
      basis: "median req/s, gateway-binary ÷ native, c=64",
    },
    {
      target: "Our server ≥ 2× the Python tutorial server's throughput at c=16",
      measured: ratio(rps("native", 16), rps("python", 16)),
      unit: "x",
      goal: 2,
      direction: "atLeast",
      basis: "median req/s, native ÷ python, c=16",
    },
    {
      target: "GetTeam, native, on SQLite within 0.8× of the minimal grpc-js floor",
      measured: ratio(rps("native", 64), rps("floor", 64)),
      unit: "x",
      goal: 0.8,
      direction: "atLeast",
      basis: "median req/s, native (SQLite) ÷ floor, c=64",
    },
    {
      target: "Streaming a million teams through the gateway: gateway peak RSS < 150 MB",
      measured: gatewayPeak.max,
      unit: "MB",
      goal: 150,
      direction: "below",
      basis: `highest gateway VmHWM over the repeats (fast and stalled readers), ListTeams of ${streamTeams} teams`,
    },
    ...storeTargets(results),
    gatewayCostTarget(points),
    ...fanoutTargets(results),
  ];
}

/** Issue 13: the gateway's CPU per call against the server's behind it, binary, c=64. */
function gatewayCostTarget(points: readonly Point[]): TargetCheck {
  const point = points.find((p) => p.system === "gateway-binary" && p.concurrency === 64);
  return {
    target: "Gateway CPU per call (gRPC-Web binary, c=64) ≤ 1.0× the server's behind it",
    measured: cpuSplit(point).x,
    unit: "x",
    goal: 1,
    direction: "atMost",
    basis: "median gateway CPU s/10k calls ÷ median server CPU s/10k, gateway-binary, c=64",
  };
}

/** Issue 15's fan-out targets: the last watcher's delay and each process's cost per watcher. */
function fanoutTargets(results: BenchResults): TargetCheck[] {
  const f = results.fanout;
  const watchers = f ? num(f.watchers) : "?";
  const perWatcher = (process: "gateway" | "server", measured: number | undefined) => ({
    target: `Memory per idle watcher in the ${process} < 50 KB`,
    measured: measured ?? Number.NaN,
    unit: "KB" as const,
    goal: 50,
    direction: "below" as const,
    basis: `${process} RSS growth ÷ ${watchers} watchers, after their snapshots`,
  });
  return [
    {
      target: "WatchTeams fan-out to 1,000 watchers through the gateway (text): p99 < 250 ms",
      measured: f?.p99Ms ?? Number.NaN,
      unit: "ms",
      goal: 250,
      direction: "below",
      basis: `PutTeam call to the last of ${watchers} watchers decoding it, p99 over ${f?.writes ?? "?"} writes`,
    },
    perWatcher("gateway", f?.gatewayKbPerWatcher),
    perWatcher("server", f?.serverKbPerWatcher),
    ...sustainedFanoutTargets(results),
  ];
}

/**
 * Issue 15's steady rate, "no watcher falls behind, every event delivered once", made
 * measurable: each write reaches every watcher within 1 s of its answer (the issue's "every
 * open page should see a change within a second"), each exactly once and in version order.
 */
function sustainedFanoutTargets(results: BenchResults): TargetCheck[] {
  const f = results.fanout;
  const s = f?.sustained;
  const run = s
    ? `${num(s.writes)} writes at ${num(s.writesPerSecond)}/s to ${num(f?.watchers ?? 0)} watchers`
    : "?";
  return [
    {
      target:
        "Fan-out at 100 writes/s to 1,000 watchers for 30 s: each write reaches every watcher within 1 s",
      measured: s?.lagMs?.max ?? Number.NaN,
      unit: "ms",
      goal: 1000,
      direction: "atMost",
      basis: `slowest write, from its PutTeam answer to the last watcher receiving it; ${run}`,
    },
    {
      target: "Same run: every event to every watcher exactly once, in version order",
      measured: s
        ? s.writes - s.fewestReceived + (s.mostReceived - s.writes) + s.outOfOrder
        : Number.NaN,
      unit: "events",
      goal: 0,
      direction: "atMost",
      basis:
        "(writes − fewest a watcher received) + (most received − writes) + events out of version order",
    },
  ];
}

/** Issue 14's store targets: PostgreSQL reads against SQLite's, and the SQLite bulk import. */
function storeTargets(results: BenchResults): TargetCheck[] {
  const points = results.unary?.points ?? [];
  const sqliteImport = results.writes?.find((w) => w.store === "sqlite")?.import;
  const teams = sqliteImport ? num(sqliteImport.teams) : "?";
  return [
    {
      target: "GetTeam, native, on PostgreSQL (one replica) ≥ 0.7× the SQLite figure",
      measured: ratio(medianRps(points, "native-postgres", 64), medianRps(points, "native", 64)),
      unit: "x",
      goal: 0.7,
      direction: "atLeast",
      basis: "median req/s, native-postgres ÷ native (SQLite), c=64",
    },
    {
      target: "ImportTeams of 1,000,000 teams over one client stream into SQLite ≥ 50,000 teams/s",
      measured: sqliteImport?.teamsPerSecond ?? Number.NaN,
      unit: "teams/s",
      goal: 50_000,
      direction: "atLeast",
      basis: `${teams} teams ÷ seconds from the first message to the answer, one run`,
    },
    {
      target: "ImportTeams into SQLite: server peak RSS < 250 MB",
      measured: sqliteImport?.serverPeakRssMb ?? Number.NaN,
      unit: "MB",
      goal: 250,
      direction: "below",
      basis: `server VmHWM during the import of ${teams} teams`,
    },
    ...footprintTargets(results),
    ...growthTargets(results),
  ];
}

/** Issue 14's million-team footprint: the worse of the two stores, after the writes scenario's import. */
function footprintTargets(results: BenchResults): TargetCheck[] {
  const rows = results.writes?.filter((w) => w.footprint) ?? [];
  const worst = (pick: (f: NonNullable<(typeof rows)[number]["footprint"]>) => number) =>
    spread(rows.map((w) => (w.footprint ? pick(w.footprint) : Number.NaN))).max;
  const teams = rows[0]?.footprint ? num(rows[0].footprint.teams) : "?";
  const stores = rows.map((w) => w.label).join(" and ") || "no store";
  const check = (
    target: string,
    measured: number,
    unit: "ms" | "MB",
    goal: number,
    basis: string,
  ) => ({ target, measured, unit, goal, direction: "below", basis }) as const;
  return [
    check(
      "Start-up once a store of 1,000,000 teams exists < 2 s",
      worst((f) => f.startupMs),
      "ms",
      2000,
      `spawn to "listening" of the compiled server on ${teams} teams, the slower of ${stores}`,
    ),
    check(
      "Server RSS at rest with 1,000,000 teams < 150 MB",
      worst((f) => f.restRssMb),
      "MB",
      150,
      `VmHWM from start to the first call, ${teams} teams, the higher of ${stores}`,
    ),
    check(
      "Server RSS while one ListTeams streams all 1,000,000 teams < 150 MB",
      worst((f) => f.listPeakRssMb),
      "MB",
      150,
      `VmHWM during a ListTeams of ${teams} teams, the higher of ${stores}`,
    ),
  ];
}

/** Issue 14: GetTeam and prefix-ListTeams latency flat from 10 to 10^6 teams, on each store. */
function growthTargets(results: BenchResults): TargetCheck[] {
  return growthSlowdowns(results.growth ?? []).map((g) => ({
    target: `${g.op === "GetTeam" ? "GetTeam" : "Prefix ListTeams"} on ${g.store}: flat from ${num(g.from)} to ${num(g.to)} teams (p50 < 1.5× the smallest)`,
    measured: g.slowdown,
    unit: "x" as const,
    goal: 1.5,
    direction: "below" as const,
    basis: `median p50 with ${num(g.to)} teams ÷ with ${num(g.from)}, c=${results.growth?.[0]?.concurrency ?? "?"}`,
  }));
}

const unitText: Record<TargetCheck["unit"], string> = {
  x: "×",
  MB: " MB",
  "teams/s": " teams/s",
  ms: " ms",
  KB: " KB",
  events: " events",
};

const goalSign: Record<TargetCheck["direction"], string> = {
  atLeast: "≥",
  atMost: "≤",
  below: "<",
};

/** The goal as the Targets table shows it: "≥ 0.8×", "< 150 MB", "≥ 50,000 teams/s". */
export function goalText(check: TargetCheck): string {
  const value = check.unit === "teams/s" ? num(check.goal) : String(check.goal);
  return `${goalSign[check.direction]} ${value}${unitText[check.unit]}`;
}

/** "met", "missed by …" or "not measured", as the Targets table shows it. */
export function verdict(check: TargetCheck): string {
  if (!Number.isFinite(check.measured)) return "not measured";
  const met =
    check.direction === "atLeast"
      ? check.measured >= check.goal
      : check.direction === "atMost"
        ? check.measured <= check.goal
        : check.measured < check.goal;
  if (met) return "met";
  const gap = Math.abs(check.measured - check.goal);
  const percent = (gap / check.goal) * 100;
  const unit = unitText[check.unit];
  // A near miss keeps enough digits to show it is a miss, never "missed by 0.00×".
  const amount = check.unit === "teams/s" ? num(gap) : gap.toFixed(gap < 0.01 ? 3 : 2);
  return `missed by ${amount}${unit} (${percent.toFixed(percent < 1 ? 1 : 0)}% ${check.direction === "atLeast" ? "short" : "over"})`;
}

/** The measured value as the table shows it, with a third digit when two would hide a miss. */
export function measuredText(check: TargetCheck): string {
  if (!Number.isFinite(check.measured)) return "–";
  if (check.unit === "MB") return `${check.measured.toFixed(1)} MB`;
  if (check.unit === "teams/s") return `${num(check.measured)} teams/s`;
  if (check.unit === "events") return `${num(check.measured)} events`;
  if (check.unit !== "x") return `${check.measured.toFixed(1)}${unitText[check.unit]}`;
  const two = check.measured.toFixed(2);
  const hidesMiss = Number(two) === check.goal && verdict(check) !== "met";
  return `${hidesMiss ? check.measured.toFixed(3) : two}×`;
}
