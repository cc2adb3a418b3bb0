// `npm run bench:store -w bench -- [SIZE]`: the server's footprint over a big store.
// Builds a store of SIZE generated teams (default 1,000,000; SQLite in a temporary
// DATA_DIR, or PostgreSQL when DATABASE_URL is set), then starts our server on it and
// reports: import rate (store.importBatch, 1,000 rows per transaction), start-up time
// once the store exists (spawn to "listening", tsx loading included), RSS at rest,
// and peak RSS while one ListTeams streams the whole directory.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { importTeams, openTeamStore, type StoreConfig } from "@teams/server";
import { generatedCity } from "./directory-file.ts";
import { runStreamClient } from "./load/stream-run.ts";
import { peakRssBytes, resetPeakRss } from "./proc-usage.ts";
import { startNodeTarget } from "./systems.ts";

const size = Number(process.argv[2] ?? 1_000_000);
const dataDir = mkdtempSync(join(tmpdir(), "teams-footprint-"));
const databaseUrl = process.env.DATABASE_URL || undefined;
const storage: StoreConfig = databaseUrl ? { databaseUrl } : { dataDir };
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);

try {
  const store = await openTeamStore(storage);
  const chunk = 100_000;
  const started = performance.now();
  for (let from = 0; from < size; from += chunk) {
    const rows = Array.from({ length: Math.min(chunk, size - from) }, (_, i) => ({
      city: generatedCity(from + i),
      nickname: `Team ${from + i}`,
    }));
    await importTeams(store, rows);
  }
  const importSeconds = (performance.now() - started) / 1000;
  await store.close();

  const spawned = performance.now();
  const env: Record<string, string> = databaseUrl
    ? { DATABASE_URL: databaseUrl }
    : { DATA_DIR: dataDir };
  const server = await startNodeTarget("our-server.ts", env, 60_000);
  const startMs = performance.now() - spawned;
  try {
    const firstList = await runStreamClient("grpc", server.port, "", 10);
    if (firstList.messages !== 10) throw new Error(`ListTeams limit 10 sent ${firstList.messages}`);
    const restRss = peakRssBytes(server.pid);
    resetPeakRss(server.pid);
    const all = await runStreamClient("grpc", server.port, "", 0);
    const streamingRss = peakRssBytes(server.pid);
    const rows = [
      ["store", databaseUrl ? "postgres" : "sqlite"],
      ["teams", String(size)],
      ["import (teams/s, importBatch of 1,000)", (size / importSeconds).toFixed(0)],
      ["start-up, spawn to listening (ms)", startMs.toFixed(0)],
      ["peak RSS at rest after start (MB)", mb(restRss)],
      [
        `peak RSS during a full ListTeams (MB; ${all.messages} teams in ${all.seconds.toFixed(1)} s)`,
        mb(streamingRss),
      ],
    ];
    process.stdout.write(
      `| figure | value |\n| --- | --- |\n${rows.map(([k, v]) => `| ${k} | ${v} |`).join("\n")}\n`,
    );
  } finally {
    await server.stop();
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
