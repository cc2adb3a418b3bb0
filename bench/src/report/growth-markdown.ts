// The Growth section of RESULTS.md: GetTeam and a 10-team ListTeams against directory size,
// on each store, each size's p50 beside the same store's smallest directory.
import type { BenchResults, GrowthRow, Sample } from "../results.ts";
import { median, ratio } from "../stats.ts";
import { field, msDigits, num } from "./format.ts";

const storeNames = { sqlite: "SQLite", postgres: "PostgreSQL" } as const;

const latency = (samples: Sample[], pick: (s: Sample) => number) =>
  field(samples, pick, msDigits(median(samples.map(pick))));

const p50 = (row: GrowthRow | undefined) => median(row?.samples.map((x) => x.p50Ms) ?? []);

/**
 * How much slower the largest directory answers than the smallest, per store and call:
 * the median p50 at the largest size ÷ at the smallest (1 = flat).
 */
export function growthSlowdowns(
  rows: readonly GrowthRow[],
): Array<{ store: string; op: GrowthRow["op"]; from: number; to: number; slowdown: number }> {
  const out: ReturnType<typeof growthSlowdowns> = [];
  const groups = new Map<string, GrowthRow[]>();
  for (const row of rows) {
    const key = `${row.store ?? "sqlite"} ${row.op}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  for (const group of groups.values()) {
    const sorted = [...group].sort((a, b) => a.size - b.size);
    const smallest = sorted[0];
    const largest = sorted[sorted.length - 1];
    if (!smallest || !largest || smallest === largest) continue;
    out.push({
      store: storeNames[smallest.store ?? "sqlite"],
      op: smallest.op,
      from: smallest.size,
      to: largest.size,
      slowdown: ratio(p50(largest), p50(smallest)),
    });
  }
  return out;
}

export function growthTable(r: BenchResults): string[] {
  if (!r.growth) return [];
  const rows = r.growth.map((row) => {
    const s = row.samples;
    const smallest = r.growth
      ?.filter((g) => g.op === row.op && (g.store ?? "sqlite") === (row.store ?? "sqlite"))
      .sort((a, b) => a.size - b.size)[0];
    const vsSmallest = ratio(p50(row), p50(smallest));
    const call = row.op === "GetTeam" ? "GetTeam (middle city)" : "ListTeams (10 from the middle)";
    return `| ${storeNames[row.store ?? "sqlite"]} | ${num(row.size)} | ${call} | ${field(s, (x) => x.rps)} | ${latency(s, (x) => x.p50Ms)} | ${latency(s, (x) => x.p99Ms)} | ${num(vsSmallest, 2)}× | ${field(s, (x) => x.cpuPer10k, 2)} | ${field(s, (x) => x.peakRssMb)} |`;
  });
  const c = r.growth[0]?.concurrency ?? 0;
  return [
    "## Growth: latency against directory size",
    "",
    `Native gRPC, h2load at concurrency ${c}, on each store (PostgreSQL 15: a throwaway cluster, one replica). ` +
      "Each store is filled before the server (compiled, as production runs it) starts on it. Flat means O(1) lookups and O(log n + k) listings.",
    "",
    "| Store | Teams | Call | req/s | p50 ms | p99 ms | p50 vs smallest | CPU s/10k calls | peak RSS MB |",
    "|---|---|---|---|---|---|---|---|---|",
    ...rows,
    "",
  ];
}
