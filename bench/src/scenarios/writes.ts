// Writes on each store (issue 14): ImportTeams of a generated directory over one client stream
// (teams/s, server CPU and peak RSS), then PutTeam with `putConcurrency` calls in flight
// (throughput, p50, p99). Each store gets a fresh server; the client is the driver process.
import type { BenchConfig } from "../config.ts";
import { importOverOneStream, putTeamsFor } from "../load/write-client.ts";
import { markUsage, usageSince } from "../proc-usage.ts";
import type { ImportSample, Sample, WriteRow } from "../results.ts";
import { percentile } from "../stats.ts";
import {
  type StoreKind,
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
  const { server, token } = await startServerOnFreshStore(kind);
  const row: WriteRow = {
    store: kind,
    label: storeLabels[kind],
    putConcurrency: config.putConcurrency,
    put: [],
  };
  try {
    row.import = await measureImport(server.pid, server.port, token, config.importTeams);
    log(
      `writes: ${kind} import ${row.import.teams} teams in ${row.import.seconds.toFixed(1)} s (${Math.round(row.import.teamsPerSecond)}/s), peak RSS ${Math.round(row.import.serverPeakRssMb)} MB`,
    );
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
    await server.stop();
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
