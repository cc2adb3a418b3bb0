// The Writes section of RESULTS.md: ImportTeams over one client stream and PutTeam under load,
// one row per store, PostgreSQL beside SQLite.
import type { BenchResults, WriteRow } from "../results.ts";
import { median, ratio } from "../stats.ts";
import { field, msDigits, num } from "./format.ts";

function importRow(row: WriteRow): string {
  const i = row.import;
  if (!i) return `| ${row.label} | – | – | – | – | – | – |`;
  return `| ${row.label} | ${num(i.teams)} | ${num(i.teamsPerSecond)} | ${num(i.seconds, 1)} | ${num(i.cpuPer10k * 100, 1)} | ${num(i.serverRssBeforeMb)} → ${num(i.serverPeakRssMb)} | ${num(i.created)} created, ${num(i.rejected)} rejected |`;
}

function footprintRow(row: WriteRow): string {
  const f = row.footprint;
  if (!f) return `| ${row.label} | – | – | – | – | – | – |`;
  return `| ${row.label} | ${num(f.teams)} | ${num(f.startupMs)} (${num(f.startupCpuSeconds, 2)}) | ${num(f.restRssMb)} | ${num(f.listMessages)} in ${num(f.listSeconds, 1)} s | ${num(f.listCpuPer10k * 100, 1)} | ${num(f.listPeakRssMb)} |`;
}

function putRow(row: WriteRow, sqliteRps: number): string {
  const s = row.put;
  const ms = (pick: (x: WriteRow["put"][number]) => number) =>
    field(s, pick, msDigits(median(s.map(pick))));
  const rps = median(s.map((x) => x.rps));
  return `| ${row.label} | ${field(s, (x) => x.rps)} | ${num(ratio(rps, sqliteRps), 2)}× | ${ms((x) => x.p50Ms)} | ${ms((x) => x.p99Ms)} | ${field(s, (x) => x.cpuPer10k, 2)} | ${field(s, (x) => x.peakRssMb)} | ${s.reduce((a, x) => a + x.errors, 0)} |`;
}

export function writesTables(r: BenchResults): string[] {
  const rows = r.writes;
  if (!rows || rows.length === 0) return [];
  const sqliteRps = median(rows.find((w) => w.store === "sqlite")?.put.map((x) => x.rps) ?? []);
  const c = rows[0]?.putConcurrency ?? 0;
  return [
    "## Writes: ImportTeams and PutTeam on each store",
    "",
    "Each store gets a fresh server, compiled to JavaScript as production runs it (`bench/src/compiled-target.ts`; SQLite in a temporary DATA_DIR; PostgreSQL 15 in a throwaway cluster with fsync off, one replica). " +
      "The clients run in the bench driver and share the cores with the server; CPU and RSS are the server process's only (PostgreSQL's own processes are not counted). " +
      "Server CPU seconds per 10^6 teams do not depend on how loaded the machine is; teams/s and seconds do.",
    "",
    "### ImportTeams: one client stream, one run",
    "",
    "Teams/s = teams sent ÷ seconds from the first message to the answer. The client (`bench/src/load/import-stream.ts`, node:http2) writes 1,000 length-prefixed requests per HTTP/2 write and honours backpressure.",
    "",
    "| Store | Teams | teams/s | seconds | server CPU s per 10^6 teams | server RSS MB: before → peak | answer |",
    "|---|---|---|---|---|---|---|",
    ...rows.map(importRow),
    "",
    "### The server restarted on that store, then one ListTeams of all of it",
    "",
    "Start-up = spawn to the `listening` line; RSS at rest = peak RSS (VmHWM) from start to the first call; the ListTeams client is a process of its own that drops each message.",
    "",
    "| Store | Teams | start-up ms (CPU s) | RSS at rest MB | ListTeams | server CPU s per 10^6 teams streamed | peak RSS while streaming MB |",
    "|---|---|---|---|---|---|---|",
    ...rows.map(footprintRow),
    "",
    `### PutTeam at concurrency ${c}`,
    "",
    `${c} calls in flight on one channel, each creating a new team; ${r.config.repeats} run(s) of ${r.config.seconds} s after a warm-up, median (min–max).`,
    "",
    "| Store | calls/s | vs SQLite | p50 ms | p99 ms | server CPU s/10k calls | server peak RSS MB | failed calls |",
    "|---|---|---|---|---|---|---|---|",
    ...rows.map((row) => putRow(row, sqliteRps)),
    "",
  ];
}
