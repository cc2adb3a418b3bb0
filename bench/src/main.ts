// `npm run bench` driver: runs every scenario, then writes RESULTS.md and the chart (raw
// numbers go to bench/out/results.json). `--quick` runs a tiny subset into bench/out/ (never over the committed results)
// and, like the full run, exits non-zero when a scenario errors. `--only=unary,growth` limits
// the scenarios (for working on one) and, like --quick, writes to bench/out/. `--from=<results.json>`
// re-renders the report from saved numbers.

import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { requireCommand } from "@teams/tools/system-packages";
import { type BenchConfig, full, quick } from "./config.ts";
import { writeDirectoryFile } from "./directory-file.ts";
import { benchRoot, binPath } from "./paths.ts";
import { barChartSvg } from "./report/chart-svg.ts";
import {
  readmeResults,
  readmeWithResults,
  replaceResultsSection,
} from "./report/readme-results.ts";
import { resultsMarkdown } from "./report/results-markdown.ts";
import type { BenchResults } from "./results.ts";
import { runFanout } from "./scenarios/fanout.ts";
import { runGrowth } from "./scenarios/growth.ts";
import { runStalled } from "./scenarios/stalled.ts";
import { runStreaming } from "./scenarios/streaming.ts";
import { ownFailures, runUnary } from "./scenarios/unary.ts";
import { runWebSize } from "./scenarios/web-size.ts";
import { runWrites } from "./scenarios/writes.ts";
import { spread } from "./stats.ts";

const scenarios = ["unary", "streaming", "growth", "writes", "fanout", "stalled", "web"] as const;
type Scenario = (typeof scenarios)[number];

interface Args {
  config: BenchConfig;
  only: Scenario[];
  /** Re-render the report from a saved results.json instead of measuring. */
  from?: string;
}

function parseArgs(argv: string[]): Args {
  let config = full;
  let only: Scenario[] = [...scenarios];
  let from: string | undefined;
  for (const arg of argv) {
    if (arg === "--quick") config = quick;
    else if (arg.startsWith("--from=")) from = arg.slice(7);
    else if (arg.startsWith("--only=")) {
      only = arg.slice(7).split(",") as Scenario[];
      const bad = only.find((s) => !scenarios.includes(s));
      if (bad)
        throw new Error(`--only: unknown scenario "${bad}"; choose from ${scenarios.join(", ")}`);
    } else {
      throw new Error(
        `unknown argument "${arg}"; use --quick, --only=${scenarios.join(",")} or --from=results.json`,
      );
    }
  }
  return { config, only, from };
}

function log(line: string): void {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
}

function h2loadVersion(): string {
  try {
    return execFileSync(requireCommand("h2load"), ["--version"], { encoding: "utf8" }).trim();
  } catch (error) {
    return (error as Error).message;
  }
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const { config, only, from } = parseArgs(argv);
  if (from) {
    // Report work only: the numbers and the command that produced them are the saved ones.
    const saved = JSON.parse(readFileSync(from, "utf8")) as BenchResults;
    const complete = isComplete(saved);
    writeOutputs(saved, complete ? benchRoot : join(benchRoot, "out"), complete);
    return 0;
  }
  const results: BenchResults = {
    mode: config.mode,
    command: ["npm run bench", ...(argv.length > 0 ? ["--", ...argv] : [])].join(" "),
    startedAt: new Date().toISOString(),
    finishedAt: "",
    machine: {
      cpus: cpus().length,
      node: process.version,
      h2load: h2loadVersion(),
      loadBefore: loadavg(),
      loadAfter: [],
    },
    config: { concurrency: config.concurrency, repeats: config.repeats, seconds: config.seconds },
    errors: [],
  };
  const dataDir = mkdtempSync(join(tmpdir(), "bench-teams-"));
  const files = new Map<number, Promise<string>>();
  const directoryFile = (size: number): Promise<string> => {
    const path = join(dataDir, `teams-${size}.json`);
    if (!files.has(size))
      files.set(
        size,
        writeDirectoryFile(path, size).then(() => path),
      );
    return files.get(size) as Promise<string>;
  };
  const attempt = async (scenario: Scenario, body: () => Promise<void>) => {
    if (!only.includes(scenario)) return;
    log(`${scenario}: start`);
    try {
      await body();
    } catch (error) {
      results.errors.push({ scenario, message: (error as Error).message });
      log(`${scenario}: ERROR ${(error as Error).message}`);
    }
  };
  try {
    await attempt("unary", async () => {
      results.unary = await runUnary(config, log);
      for (const f of ownFailures(results.unary))
        results.errors.push({ scenario: `unary ${f.system}`, message: f.error });
    });
    await attempt("streaming", async () => {
      results.streaming = await runStreaming(config, directoryFile, log);
    });
    await attempt("growth", async () => {
      results.growth = await runGrowth(config, directoryFile, log);
    });
    await attempt("writes", async () => {
      results.writes = await runWrites(config, log);
    });
    await attempt("fanout", async () => {
      results.fanout = await runFanout(config, log);
    });
    await attempt("stalled", async () => {
      results.stalled = await runStalled(config, dataDir, log);
    });
    await attempt("web", async () => {
      results.web = await runWebSize(config);
    });
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  results.finishedAt = new Date().toISOString();
  results.machine.loadAfter = loadavg();
  // Only a full run of every scenario may replace the committed results.
  const complete = isComplete(results);
  writeOutputs(results, complete ? benchRoot : join(benchRoot, "out"), complete);
  return results.errors.length === 0 ? 0 : 1;
}

/** A full-mode run with every scenario: the only kind that may replace the committed results. */
function isComplete(r: BenchResults): boolean {
  return (
    r.mode === "full" &&
    !!(r.unary && r.streaming && r.growth && r.writes && r.fanout && r.stalled && r.web)
  );
}

function writeOutputs(results: BenchResults, dir: string, complete: boolean): void {
  mkdirSync(dir, { recursive: true });
  const chartFile = "results-chart.svg";
  const unary = results.unary;
  if (unary) {
    const groups = Object.entries(unary.labels).map(([id, label]) => ({
      label,
      values: results.config.concurrency.map((c) =>
        spread(
          unary.points
            .find((p) => p.system === id && p.concurrency === c)
            ?.samples.map((s) => s.rps) ?? [],
        ),
      ),
    }));
    const svg = barChartSvg({
      title: "Unary GetTeam throughput (req/s), loopback, 2 shared cores",
      subtitle: `bar = median of ${results.config.repeats} runs, line = min–max; ${results.startedAt.slice(0, 16)}Z, ${results.mode} mode`,
      unit: "req/s",
      series: results.config.concurrency.map((c) => `concurrency ${c}`),
      groups,
    });
    writeFileSync(join(dir, chartFile), svg);
  }
  // Raw numbers stay out of git (bench/out/ is ignored): RESULTS.md is the committed record.
  const rawDir = join(benchRoot, "out");
  mkdirSync(rawDir, { recursive: true });
  writeFileSync(join(rawDir, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(dir, "RESULTS.md"), resultsMarkdown(results, unary ? chartFile : undefined));
  if (complete) {
    const readme = join(benchRoot, readmeWithResults);
    writeFileSync(
      readme,
      replaceResultsSection(readFileSync(readme, "utf8"), readmeResults(results)),
    );
    // The repo's formatter owns Markdown layout (padded tables): format what we wrote so
    // `biome ci .` passes on the committed results.
    execFileSync(
      binPath("biome"),
      ["format", "--write", "RESULTS.md", readmeWithResults, chartFile],
      {
        cwd: dir,
        stdio: "ignore",
      },
    );
  }
  log(
    `wrote ${join(dir, "RESULTS.md")}${results.errors.length ? ` with ${results.errors.length} scenario error(s)` : ""}`,
  );
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    log(`bench: ${error.message}`);
    process.exit(2);
  },
);
