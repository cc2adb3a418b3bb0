// The four targets, checked against one run's medians (never across runs).
import type { BenchResults, Point } from "../results.ts";
import { ratio, spread } from "../stats.ts";

/** One row of the Targets table. */
export interface TargetCheck {
  target: string;
  /** The measured ratio (or MB for the memory target). */
  measured: number;
  unit: "x" | "MB";
  /** Met when measured >= goal ("atLeast") or < goal ("below"). */
  goal: number;
  direction: "atLeast" | "below";
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
      target: "Gateway gRPC-Web (binary) throughput at c=64 ≥ 0.6× native gRPC to the same server",
      measured: ratio(rps("gateway-binary", 64), rps("native", 64)),
      unit: "x",
      goal: 0.6,
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
      target: "Our server within 0.8× of the minimal grpc-js floor",
      measured: ratio(rps("native", 64), rps("floor", 64)),
      unit: "x",
      goal: 0.8,
      direction: "atLeast",
      basis: "median req/s, native ÷ floor, c=64",
    },
    {
      target: "Streaming a million teams through the gateway: gateway peak RSS < 150 MB",
      measured: gatewayPeak.max,
      unit: "MB",
      goal: 150,
      direction: "below",
      basis: `highest gateway VmHWM over the repeats (fast and stalled readers), ListTeams of ${streamTeams} teams`,
    },
  ];
}

/** "met", "missed by …" or "not measured", as the Targets table shows it. */
export function verdict(check: TargetCheck): string {
  if (!Number.isFinite(check.measured)) return "not measured";
  const met =
    check.direction === "atLeast" ? check.measured >= check.goal : check.measured < check.goal;
  if (met) return "met";
  const gap = Math.abs(check.measured - check.goal);
  const percent = (gap / check.goal) * 100;
  const unit = check.unit === "x" ? "×" : " MB";
  // A near miss keeps enough digits to show it is a miss, never "missed by 0.00×".
  const digits = gap < 0.01 ? 3 : 2;
  return `missed by ${gap.toFixed(digits)}${unit} (${percent.toFixed(percent < 1 ? 1 : 0)}% ${check.direction === "atLeast" ? "short" : "over"})`;
}

/** The measured value as the table shows it, with a third digit when two would hide a miss. */
export function measuredText(check: TargetCheck): string {
  if (!Number.isFinite(check.measured)) return "–";
  if (check.unit === "MB") return `${check.measured.toFixed(1)} MB`;
  const two = check.measured.toFixed(2);
  const hidesMiss = Number(two) === check.goal && verdict(check) !== "met";
  return `${hidesMiss ? check.measured.toFixed(3) : two}×`;
}
