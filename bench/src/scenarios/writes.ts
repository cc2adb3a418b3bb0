// Writes on each store (issue 14): ImportTeams of a generated directory over one client stream
// (teams/s, server CPU and peak RSS); the server restarted on that store (start-up time, RSS at
// rest) and one ListTeams of all of it (peak RSS); then PutTeam with `putConcurrency` calls in
// flight (throughput, p50, p99). Each store gets a fresh server, compiled to JavaScript as
// production runs it; the clients are the driver process (ListTeams: a process of its own).
import type { BenchConfig } from "../config.ts";
import { importOverOneStream } from "../load/import-stream.ts";
import { listAllFootprint } from "../load/list-all-footprint.ts";
import { putTeamsFor } from "../load/write-client.ts";
import { cpuSeconds, markUsage, usageSince } from "../proc-usage.ts";
import type { ImportSample, Sample, StoreFootprint, WriteRow } from "../results.ts";
import { percentile } from "../stats.ts";
import {
  type StoreKind,
  type StoreServer,
  startServerOnFreshStore,
  storeKinds,
  storeLabels,
} from "../store-systems.ts";

const mb = 1_000_000;

async function measureImport(pid: number, port: number, token: string, teams: number) {
  const [mark] = markUsage([pid]);
  const { seconds, response } = await importOverOneStream(port, token, teams);
  const [usage] = usageSince(mark ? [mark] : []);
  if (response.rejected_count > 0) {
    const first = response.rejected[0];
    throw new Error(
      `ImportTeams rejected ${response.rejected_count} rows, first #${first?.index} ${first?.field}: ${first?.description}`,
    );
  }
  const sample: ImportSample = {
    teams,
    seconds,
    teamsPerSecond: teams / seconds,
    created: response.created,
    rejected: response.rejected_count,
    cpuPer10k: ((usage?.cpu ?? Number.NaN) / teams) * 10_000,
    serverRssBeforeMb: (mark?.rssBefore ?? Number.NaN) / mb,
    serverPeakRssMb: (usage?.peakRss ?? Number.NaN) / mb,
  };
  return sample;
}

/** Restarts the server on the store the import filled, then streams all of it once. */
async function measureFootprint(running: StoreServer, teams: number): Promise<StoreFootprint> {
  const startupMs = await running.restart();
  const { pid, port } = running.server;
  const startupCpuSeconds = cpuSeconds(pid);
  const all = await listAllFootprint(pid, port, teams);
  return {
    teams,
    startupMs,
    startupCpuSeconds,
    restRssMb: all.restRssMb,
    listMessages: all.messages,
    listSeconds: all.seconds,
    listCpuPer10k: (all.cpuSeconds / all.messages) * 10_000,
    listPeakRssMb: all.peakRssMb,
  };
}

async function measurePut(
  pid: number,
  port: number,
  token: string,
  config: BenchConfig,
  runId: string,
): Promise<Sample> {
  const [mark] = markUsage([pid]);
  const put = await putTeamsFor(port, token, config.putConcurrency, config.seconds, runId);
  const [usage] = usageSince(mark ? [mark] : []);
  if (put.ok === 0)
    throw new Error(`no PutTeam succeeded (${put.errors} errors: ${put.firstError})`);
  return {
    rps: put.ok / put.seconds,
    p50Ms: percentile(put.latenciesMs, 50),
    p99Ms: percentile(put.latenciesMs, 99),
    cpuPer10k: ((usage?.cpu ?? Number.NaN) / put.ok) * 10_000,
    peakRssMb: (usage?.peakRss ?? Number.NaN) / mb,
    errors: put.errors,
  };
}

async function runOnStore(
  kind: StoreKind,
  config: BenchConfig,
  log: (line: string) => void,
): Promise<WriteRow> {
  const running = await startServerOnFreshStore(kind, { compiled: true });
  const row: WriteRow = {
    store: kind,
    label: storeLabels[kind],
    putConcurrency: config.putConcurrency,
    put: [],
  };
  const { token } = running;
  try {
    row.import = await measureImport(
      running.server.pid,
      running.server.port,
      token,
      config.importTeams,
    );
    log(
      `writes: ${kind} import ${row.import.teams} teams in ${row.import.seconds.toFixed(1)} s (${Math.round(row.import.teamsPerSecond)}/s, ${(row.import.cpuPer10k * 100).toFixed(1)} server CPU s per 10^6), peak RSS ${Math.round(row.import.serverPeakRssMb)} MB`,
    );
    row.footprint = await measureFootprint(running, config.importTeams);
    const f = row.footprint;
    log(
      `writes: ${kind} restart ${Math.round(f.startupMs)} ms (${f.startupCpuSeconds.toFixed(2)} CPU s), RSS at rest ${Math.round(f.restRssMb)} MB; ListTeams of ${f.listMessages} in ${f.listSeconds.toFixed(1)} s, peak RSS ${Math.round(f.listPeakRssMb)} MB`,
    );
    const { server } = running;
    if (config.repeats === 0) return row; // bench:store: the import and footprint only
    // Warm-up (JIT, connection pool), then the measured repeats.
    await putTeamsFor(server.port, token, config.putConcurrency, config.warmupSeconds, "warm");
    for (let rep = 1; rep <= config.repeats; rep++) {
      const sample = await measurePut(server.pid, server.port, token, config, `run${rep}`);
      row.put.push(sample);
      log(
        `writes: ${kind} PutTeam run ${rep} c=${config.putConcurrency}: ${Math.round(sample.rps)} calls/s, p99 ${sample.p99Ms.toFixed(2)} ms`,
      );
    }
  } finally {
    await running.server.stop();
  }
  return row;
}

export async function runWrites(
  config: BenchConfig,
  log: (line: string) => void,
): Promise<WriteRow[]> {
  const rows: WriteRow[] = [];
  for (const kind of storeKinds) rows.push(await runOnStore(kind, config, log));
  return rows;
}
