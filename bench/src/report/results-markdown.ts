// Renders one run's results as RESULTS.md: targets first, then one table per scenario.
import type { BenchResults, Point, Sample, StreamRow } from "../results.ts";
import { median, ratio, spread } from "../stats.ts";
import { cpuSplitTable } from "./cpu-split.ts";
import { fanoutTable } from "./fanout-markdown.ts";
import { field, msDigits, num, spreadText } from "./format.ts";
import { growthTable } from "./growth-markdown.ts";
import { stalledTable } from "./stalled-markdown.ts";
import { checkTargets, goalText, measuredText, medianRps, verdict } from "./targets.ts";
import { webTable } from "./web-markdown.ts";
import { writesTables } from "./writes-markdown.ts";

/** autocannon is one Node process: above this share of a core it, not the server, may be the limit. */
const loadgenLimit = 0.75;

const latency = (samples: Sample[], pick: (s: Sample) => number) =>
  field(samples, pick, msDigits(median(samples.map(pick))));

function header(r: BenchResults): string[] {
  const load = (l: number[]) => l.map((v) => v.toFixed(2)).join(" / ");
  return [
    "# Benchmark results",
    "",
    `Produced by \`${r.command}\` (${r.mode} mode), ${r.startedAt} to ${r.finishedAt}.`,
    `Machine: ${r.machine.cpus} cores, Node ${r.machine.node}, ${r.machine.h2load}. Load average (1/5/15 min) before: ${load(r.machine.loadBefore)}, after: ${load(r.machine.loadAfter)}.`,
    "",
    `Each point: ${r.config.repeats} runs of ${r.config.seconds} s (repeats interleaved across systems), shown as **median (min–max)**. ` +
      "Load generator and system under test share the same cores over loopback; every system runs in its own process(es), " +
      "and CPU and peak RSS are read from /proc for those processes only. CPU s/10k = (utime+stime) of every process of the system ÷ calls × 10,000. " +
      "Ratios compare medians from this same run.",
    "",
    noiseNote(r),
    "",
  ];
}

/** Says how noisy the machine was, from the load average and the widest spread of one point. */
export function noiseNote(r: BenchResults): string {
  const busy = (r.machine.loadBefore[0] ?? 0) / r.machine.cpus;
  const widest = Math.max(
    1,
    ...(r.unary?.points ?? []).map((p) => {
      const s = spread(p.samples.map((x) => x.rps));
      return ratio(s.max, s.min) || 1;
    }),
  );
  const verdict =
    busy > 0.5 || widest > 1.5
      ? "**Noisy run**: other work shared the cores, so single runs swing widely; trust medians and same-run ratios, not absolute numbers."
      : "The machine was quiet enough that repeats agree closely.";
  return `Noise: load average ${num(r.machine.loadBefore[0] ?? Number.NaN, 2)} on ${r.machine.cpus} cores just before the run; the widest spread of one unary point was ${num(widest, 2)}× (max ÷ min req/s). ${verdict}`;
}

export function targetsTable(r: BenchResults): string[] {
  const rows = checkTargets(r).map((t) => {
    const measured = measuredText(t);
    return `| ${t.target} | ${goalText(t)} | ${measured} | ${verdict(t)} | ${t.basis} |`;
  });
  return [
    "## Targets",
    "",
    "| Target | Goal | Measured | Result | From |",
    "|---|---|---|---|---|",
    ...rows,
    "",
  ];
}

function unaryTables(r: BenchResults): string[] {
  const unary = r.unary;
  if (!unary) return [];
  const out = [
    "## Unary GetTeam",
    "",
    "Native gRPC load: h2load (N connections, 1 stream each). HTTP/1.1 load (gRPC-Web, JSON): autocannon in its own process (N connections). " +
      "Before each system is measured, one call checks grpc-status 0 and the team returned (load tools only see HTTP status). " +
      "CPU for rows through a proxy (→) counts the proxy *and* our server behind it; \"of which front\" is the proxy's share. Peak RSS is the front process's.",
    "",
  ];
  for (const c of r.config.concurrency) out.push(...unaryTable(r, c));
  for (const c of r.config.concurrency) out.push(...cpuSplitTable(r, c, "###"));
  if (unary.failures.length > 0) {
    out.push("### Could not be measured", "");
    for (const f of unary.failures) {
      out.push(
        `- **${unary.labels[f.system] ?? f.system}**: ${f.error.replace(/\s+/g, " ").slice(0, 600)}`,
      );
    }
    out.push("");
  }
  return out;
}

/** The unary table at one concurrency level. */
export function unaryTable(r: BenchResults, c: number): string[] {
  const unary = r.unary;
  if (!unary) return [];
  const out: string[] = [];
  const native = medianRps(unary.points, "native", c);
  out.push(
    `### Concurrency ${c}`,
    "",
    "| System | req/s | vs native | p50 ms | p99 ms | CPU s/10k calls | of which front | peak RSS MB | failed calls | load tool cores |",
    "|---|---|---|---|---|---|---|---|---|---|",
  );
  for (const [id, label] of Object.entries(unary.labels)) {
    const point: Point | undefined = unary.points.find(
      (p) => p.system === id && p.concurrency === c,
    );
    if (!point) continue;
    const s = point.samples;
    const rps = spread(s.map((x) => x.rps));
    out.push(
      `| ${label} | ${spreadText(rps)} | ${num(ratio(rps.median, native), 2)}× | ${latency(s, (x) => x.p50Ms)} | ${latency(s, (x) => x.p99Ms)} | ${field(s, (x) => x.cpuPer10k, 2)} | ${id === "native" || !unary.labels[id]?.includes("→") ? "–" : field(s, (x) => x.cpuPer10kFront, 2)} | ${field(s, (x) => x.peakRssMb)} | ${s.reduce((a, x) => a + x.errors, 0)} | ${field(s, (x) => x.loadgenCores, 2)} |`,
    );
  }
  const saturated = Object.entries(unary.labels).filter(([id]) => {
    const point = unary.points.find((p) => p.system === id && p.concurrency === c);
    return median(point?.samples.map((x) => x.loadgenCores ?? 0) ?? []) > loadgenLimit;
  });
  if (saturated.length > 0) {
    out.push(
      "",
      `Load tool near its limit (over ${loadgenLimit} of a core) for: ${saturated.map(([, label]) => label).join(", ")}. ` +
        "Those systems may be faster than shown; the other rows were not limited by the load tool.",
    );
  }
  out.push("");
  return out;
}

function streamPathLabel(row: StreamRow): string {
  if (row.path === "native") return "native gRPC";
  if (row.path === "gateway") return "through our gateway (gRPC-Web binary)";
  return `through our gateway, reader stalled ${num((row.stallMs ?? 0) / 1000, 1)} s after the first bytes`;
}

function streamingTable(r: BenchResults): string[] {
  if (!r.streaming) return [];
  const rows = r.streaming.map((row) => {
    const s = row.samples;
    return `| ${streamPathLabel(row)} | ${num(row.teams)} | ${field(s, (x) => x.messagesPerSecond)} | ${field(s, (x) => x.seconds, 2)} | ${field(s, (x) => x.cpuPer10k, 3)} | ${field(s, (x) => x.serverRssBeforeMb)} → ${field(s, (x) => x.serverPeakRssMb)} | ${row.path === "native" ? "–" : `${field(s, (x) => x.gatewayRssBeforeMb)} → ${field(s, (x) => x.gatewayPeakRssMb)}`} |`;
  });
  return [
    "## Server streaming: ListTeams of the whole directory",
    "",
    "One call, counted by a client in its own process that never keeps the messages; every message and the final grpc-status 0 are checked. " +
      "RSS before is the process at rest (the server holds the whole directory); the peak during the call minus that is what streaming costs. " +
      "The stalled row stops reading for a while (a slow tab): a gateway that ignored backpressure would buffer what the server keeps sending; with flow control its peak stays put.",
    "",
    "| Path | Teams | messages/s | seconds | CPU s/10k msgs | server RSS MB: before → peak | gateway RSS MB: before → peak |",
    "|---|---|---|---|---|---|---|",
    ...rows,
    "",
  ];
}

function errorsSection(r: BenchResults): string[] {
  if (r.errors.length === 0) return [];
  return [
    "## Scenario errors",
    "",
    ...r.errors.map((e) => `- **${e.scenario}**: ${e.message.replace(/\s+/g, " ").slice(0, 800)}`),
    "",
  ];
}

/** Median of one field of one system at one concurrency, NaN when not measured. */
function pointMedian(
  r: BenchResults,
  system: string,
  c: number,
  pick: (s: Sample) => number,
): number {
  const point = r.unary?.points.find((p) => p.system === system && p.concurrency === c);
  return median(point?.samples.map(pick) ?? []);
}

/** A few same-run ratios in words: what gRPC-Web costs and how the peers compare. */
export function atAGlance(r: BenchResults): string[] {
  if (!r.unary) return [];
  const c = Math.max(...r.config.concurrency);
  const rps = (id: string) => pointMedian(r, id, c, (s) => s.rps);
  const cpu = (id: string) => pointMedian(r, id, c, (s) => s.cpuPer10k);
  const p50 = (id: string, at: number) => pointMedian(r, id, at, (s) => s.p50Ms);
  const x = (v: number) => `${num(v, 2)}×`;
  const low = Math.min(...r.config.concurrency);
  return [
    "## At a glance",
    "",
    `Medians at concurrency ${c} unless noted; each ratio compares two systems of this same run.`,
    "",
    `- **What gRPC-Web costs**: through our gateway, binary gRPC-Web gets ${x(ratio(rps("gateway-binary"), rps("native")))} native gRPC's throughput and spends ${x(ratio(cpu("gateway-binary"), cpu("native")))} its CPU per call (gateway + server vs server alone); text mode gets ${x(ratio(rps("gateway-text"), rps("native")))}. ` +
      `At concurrency ${low} one call takes ${num(p50("gateway-binary", low), 3)} ms median through the gateway vs ${num(p50("native", low), 3)} ms native.`,
    `- **Peers on gRPC-Web**: our gateway does ${x(ratio(rps("gateway-binary"), rps("grpc-web-proxy")))} the throughput of @grpc-web/proxy and ${x(ratio(rps("gateway-binary"), rps("connect")))} that of connect-node serving gRPC-Web with no proxy hop.`,
    `- **Native gRPC**: our server on SQLite does ${x(ratio(rps("native"), rps("floor")))} the bare grpc-js floor and ${x(ratio(rps("native"), rps("python")))} the Python tutorial server; on PostgreSQL (one replica) it does ${x(ratio(rps("native-postgres"), rps("native")))} its SQLite figure.`,
    `- **What tracing costs**: with a span per call exported over OTLP (to a sink that discards), our server does ${x(ratio(rps("native-traced"), rps("native")))} its untraced throughput at ${x(ratio(cpu("native-traced"), cpu("native")))} the CPU per call; through the gateway, both traced, ${x(ratio(rps("gateway-binary-traced"), rps("gateway-binary")))} at ${x(ratio(cpu("gateway-binary-traced"), cpu("gateway-binary")))}. Untraced rows load no OpenTelemetry SDK, exporter or tracing code.`,
    `- **gRPC vs REST, measured**: plain JSON on node:http does ${x(ratio(rps("json"), rps("native")))} native gRPC's throughput on this one small lookup, at ${x(ratio(cpu("json"), cpu("native")))} the CPU per call.`,
    "",
  ];
}

/** The whole RESULTS.md; `chartFile` is the SVG's name beside it, when one was written. */
export function resultsMarkdown(r: BenchResults, chartFile?: string): string {
  return [
    ...header(r),
    ...(chartFile ? [`![Unary GetTeam throughput](${chartFile})`, ""] : []),
    ...atAGlance(r),
    ...targetsTable(r),
    ...unaryTables(r),
    ...streamingTable(r),
    ...growthTable(r),
    ...writesTables(r),
    ...fanoutTable(r),
    ...stalledTable(r),
    ...webTable(r),
    ...errorsSection(r),
  ].join("\n");
}
