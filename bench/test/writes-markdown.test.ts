import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { writesTables } from "../src/report/writes-markdown.ts";
import type { BenchResults, Sample, WriteRow } from "../src/results.ts";

const put = (rps: number, p99Ms: number): Sample => ({
  rps,
  p50Ms: 2,
  p99Ms,
  cpuPer10k: 3,
  peakRssMb: 90,
  errors: 0,
});

const row = (store: WriteRow["store"], label: string, rps: number[]): WriteRow => ({
  store,
  label,
  import: {
    teams: 1_000_000,
    seconds: 20,
    teamsPerSecond: 50_000,
    created: 1_000_000,
    rejected: 0,
    cpuPer10k: 0.123,
    serverRssBeforeMb: 60,
    serverPeakRssMb: 140,
  },
  footprint: {
    teams: 1_000_000,
    startupMs: 640,
    startupCpuSeconds: 0.71,
    restRssMb: 95,
    listMessages: 1_000_010,
    listSeconds: 12.5,
    listCpuPer10k: 0.14,
    listPeakRssMb: 130,
  },
  putConcurrency: 16,
  put: rps.map((r) => put(r, 12)),
});

const run = {
  config: { concurrency: [64], repeats: 3, seconds: 4 },
  writes: [
    row("sqlite", "SQLite", [2_000, 1_900, 2_100]),
    row("postgres", "PostgreSQL (one replica)", [1_000, 1_000, 1_000]),
  ],
} as BenchResults;

describe("writesTables", () => {
  it("shows each store's import rate, peak RSS and answer counts", () => {
    const md = writesTables(run).join("\n");
    assert.match(
      md,
      /\| SQLite \| 1,000,000 \| 50,000 \| 20\.0 \| 12\.3 \| 60 → 140 \| 1,000,000 created, 0 rejected \|/,
    );
  });
  it("shows the restart on the imported store and the full ListTeams", () => {
    const md = writesTables(run).join("\n");
    assert.match(
      md,
      /\| SQLite \| 1,000,000 \| 640 \(0\.71\) \| 95 \| 1,000,010 in 12\.5 s \| 14\.0 \| 130 \|/,
    );
  });
  it("puts PostgreSQL's PutTeam throughput beside SQLite's as a same-run ratio", () => {
    const md = writesTables(run).join("\n");
    assert.match(md, /### PutTeam at concurrency 16/);
    assert.match(md, /\| SQLite \| 2,000 \(1,900–2,100\) \| 1\.00× \|/);
    assert.match(md, /\| PostgreSQL \(one replica\) \| 1,000 \| 0\.50× \| 2\.00 \| 12\.0 \|/);
  });
  it("leaves the section out of a run without the writes scenario", () => {
    assert.deepEqual(writesTables({ ...run, writes: undefined }), []);
  });
});
