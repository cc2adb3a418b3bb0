// Soak figures: latency percentiles, pass/fail criteria, and SOAK-RESULTS.md.
import type { LoadRecord } from "./load.ts";

export interface SoakFigures {
  readonly date: string;
  readonly durationSeconds: number;
  readonly rate: number;
  readonly calls: number;
  readonly byKind: Record<string, number>;
  readonly errors: number;
  readonly firstErrors: string[];
  /** Server replicas behind the pool, replicas SIGKILLed during the run. */
  readonly replicas: number;
  readonly kills: number;
  readonly killEverySeconds: number;
  /** Calls that failed UNAVAILABLE on a killed replica (allowed, counted apart). */
  readonly failedOnKilled: number;
  /** Per kill: until the new process listened, and until the pool had it out of rotation. */
  readonly killDownMs: number[];
  readonly killOutMs: number[];
  readonly latency: {
    readonly p50: number;
    readonly p90: number;
    readonly p99: number;
    readonly max: number;
  };
  readonly rssStart: number;
  readonly rssEnd: number;
  readonly rssSamples: number[];
  readonly heapStart: number;
  readonly heapEnd: number;
  readonly openStreamsEnd: number;
  readonly activeCallsEnd: number;
  readonly socketsStart: number;
  readonly socketsEnd: number;
  readonly sessionsOpened: number;
  readonly machine: string;
}

export interface Criterion {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] as number;
}

/** Latency of the calls that ran to their end (cancelled ones are cut short on purpose). */
export function latencyOf(records: readonly LoadRecord[]): SoakFigures["latency"] {
  const sorted = records
    .filter((record) => record.kind !== "cancelled")
    .map((record) => record.outcome.latencyMs)
    .sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? 0,
  };
}

export const rssTolerance = 0.1;

export function criteria(figures: SoakFigures): Criterion[] {
  const drift = (figures.rssEnd - figures.rssStart) / figures.rssStart;
  return [
    {
      name: `no errors other than the injected cancellations${figures.kills ? " and calls on a killed replica" : ""}`,
      ok: figures.errors === 0,
      detail: `${figures.errors} errors${figures.firstErrors.length ? `: ${figures.firstErrors.join("; ")}` : ""}`,
    },
    {
      // A leak grows memory; an end below the start (the allocator returning pages) is no leak.
      name: `gateway RSS at the end at most ${rssTolerance * 100}% above the start (after warm-up, after GC)`,
      ok: drift <= rssTolerance,
      detail: `${mib(figures.rssStart)} -> ${mib(figures.rssEnd)} (${(drift * 100).toFixed(1)}%)`,
    },
    {
      name: "no upstream HTTP/2 stream left open",
      ok: figures.openStreamsEnd === 0 && figures.activeCallsEnd === 0,
      detail: `${figures.openStreamsEnd} open streams, ${figures.activeCallsEnd} calls in progress`,
    },
    {
      name: "no socket leaked",
      ok: figures.socketsEnd <= figures.socketsStart,
      detail: `${figures.socketsStart} sockets at the start, ${figures.socketsEnd} at the end`,
    },
  ];
}

export function mib(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MiB`;
}

/** A Markdown table padded the way the repository's formatter (Biome) writes it. */
export function markdownTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const all = [header, ...rows];
  const widths = header.map((_, column) =>
    Math.max(3, ...all.map((row) => (row[column] ?? "").length)),
  );
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column] as number)).join(" | ")} |`;
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)].join(
    "\n",
  );
}

export function resultsMarkdown(figures: SoakFigures, checks: readonly Criterion[]): string {
  const ms = (value: number): string => `${value.toFixed(1)} ms`;
  const kinds = Object.entries(figures.byKind)
    .map(([kind, count]) => `${count} ${kind}`)
    .join(", ");
  const table = markdownTable(
    ["Figure", "Value"],
    [
      ["Duration, rate", `${figures.durationSeconds} s at ${figures.rate} calls/s`],
      ["Calls", `${figures.calls} (${kinds})`],
      ["Errors (cancellations injected on purpose excluded)", `${figures.errors}`],
      ...(figures.replicas > 1
        ? [
            ["Server replicas, SIGKILLed during the run", `${figures.replicas}, ${figures.kills}`],
            ["Calls failed on a killed replica (allowed, not errors)", `${figures.failedOnKilled}`],
            [
              "Per kill: out of rotation after / new process listening after",
              figures.killOutMs
                .map(
                  (out, i) =>
                    `${Math.round(out)} ms / ${Math.round(figures.killDownMs[i] ?? 0)} ms`,
                )
                .join(", ") || "none",
            ],
          ]
        : []),
      [
        "Latency p50 / p90 / p99 / max",
        `${ms(figures.latency.p50)} / ${ms(figures.latency.p90)} / ${ms(figures.latency.p99)} / ${ms(figures.latency.max)}`,
      ],
      [
        "Gateway RSS start -> end (after warm-up, after GC)",
        `${mib(figures.rssStart)} -> ${mib(figures.rssEnd)}`,
      ],
      ["Gateway RSS samples during the run", figures.rssSamples.map(mib).join(", ")],
      ["Gateway heap start -> end", `${mib(figures.heapStart)} -> ${mib(figures.heapEnd)}`],
      [
        "Open upstream streams / calls at the end",
        `${figures.openStreamsEnd} / ${figures.activeCallsEnd}`,
      ],
      ["Gateway sockets start -> end", `${figures.socketsStart} -> ${figures.socketsEnd}`],
      ["Upstream HTTP/2 sessions opened", `${figures.sessionsOpened}`],
    ],
  );
  return `# Soak results

Written by \`npm run soak -- --duration ${figures.durationSeconds} --rate ${figures.rate}${figures.replicas > 1 ? ` --replicas ${figures.replicas}${figures.killEverySeconds ? ` --kill-every ${figures.killEverySeconds}` : ""}` : ""} --write-results\`
on ${figures.date} (${figures.machine}). Gateway in its own process in front of ${figures.replicas > 1 ? `${figures.replicas} Teams server replicas (supervised processes, one SQLite file)` : "the Teams server"}; the load is open-loop at a fixed rate through a keep-alive pool.

${table}

## Criteria

${checks.map((check) => `- ${check.ok ? "PASS" : "FAIL"} ${check.name}: ${check.detail}`).join("\n")}
`;
}
