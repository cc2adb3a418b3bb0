// What one call costs on each side of a proxy: the rows through a proxy (→: our gateway,
// @grpc-web/proxy) charge the proxy's CPU and the server's behind it; this table splits them,
// so the gateway's cost per call reads beside the server's (issue 13: at most 1.0×).
import type { BenchResults, Point, Sample } from "../results.ts";
import { median, ratio } from "../stats.ts";
import { field, num } from "./format.ts";

/** CPU s per 10k calls of the server behind the proxy: the system's total minus the front's. */
export function serverCpuPer10k(sample: Sample): number {
  return sample.cpuPer10k - (sample.cpuPer10kFront ?? Number.NaN);
}

/** Median front (proxy) and server CPU per 10k calls of a point, and front ÷ server. */
export function cpuSplit(point: Point | undefined): { front: number; server: number; x: number } {
  const samples = point?.samples ?? [];
  const front = median(samples.map((s) => s.cpuPer10kFront ?? Number.NaN).filter(Number.isFinite));
  const server = median(samples.map(serverCpuPer10k).filter(Number.isFinite));
  return { front, server, x: ratio(front, server) };
}

/** Whether a system's rows go through a proxy (their label says so with →). */
export function isProxied(label: string | undefined): boolean {
  return label?.includes("→") ?? false;
}

/** One row per proxied system at concurrency `c`; nothing when none was measured. */
export function cpuSplitTable(r: BenchResults, c: number, heading = "####"): string[] {
  const unary = r.unary;
  if (!unary) return [];
  const at = (id: string) => unary.points.find((p) => p.system === id && p.concurrency === c);
  const rps = (point: Point | undefined) => median(point?.samples.map((s) => s.rps) ?? []);
  const native = rps(at("native"));
  const rows: string[] = [];
  for (const [id, label] of Object.entries(unary.labels)) {
    const point = at(id);
    if (!isProxied(label) || !point) continue;
    const split = cpuSplit(point);
    const s = point.samples;
    rows.push(
      `| ${label} | ${num(ratio(rps(point), native), 2)}× | ${field(s, (x) => x.cpuPer10kFront, 2)} | ${field(s, serverCpuPer10k, 2)} | ${num(split.x, 2)}× |`,
    );
  }
  if (rows.length === 0) return [];
  return [
    `${heading} Cost per call through a proxy, concurrency ${c}`,
    "",
    "CPU s per 10k calls of the proxy (the process the load talks to) and of our server behind it, each from its own /proc; the ratio compares their medians.",
    "",
    "| System | req/s vs native | proxy CPU s/10k | server CPU s/10k | proxy ÷ server |",
    "|---|---|---|---|---|",
    ...rows,
    "",
  ];
}
