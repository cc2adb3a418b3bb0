// `npm run bench:stream-rss -w bench -- [SIZE] [RUNS] [--store=postgres|sqlite] [--baseline=FILE]`:
// issue 14's "server RSS under 150 MB while ListTeams streams all of it", measured often enough
// to see its spread. For each store (SQLite in a temporary DATA_DIR, then PostgreSQL 15 in a
// throwaway cluster): ImportTeams of SIZE teams (default 1,000,000) once, then RUNS times
// (default 5) a fresh server on that store and one ListTeams of all of it, printing the server's
// RSS at rest, its peak RSS (VmHWM) during the stream and its CPU s per 10^6 teams streamed.
// The server is compiled to JavaScript and runs with the server image's node flags, as in
// production. --baseline=FILE: another compiled server (e.g. server/dist/bench-our-server.js
// built from an earlier commit and renamed) started in turns with this one on the same store,
// so a before/after comparison shares the machine's load.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { readAuthConfig, signDevelopmentToken } from "@teams/server";
import { startPostgresCluster } from "@teams/server/postgres-cluster";
import { productionNodeFlags, startCompiledTarget } from "./compiled-target.ts";
import { importOverOneStream } from "./load/import-stream.ts";
import { listAllFootprint } from "./load/list-all-footprint.ts";
import { benchRoot, repoRoot } from "./paths.ts";
import { type Listener, startListener } from "./spawn-listener.ts";
import { type StoreKind, storeKinds } from "./store-systems.ts";

const positional = process.argv.slice(2).filter((arg) => !arg.startsWith("--"));
const option = (name: string) =>
  process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
const size = Number(positional[0] ?? 1_000_000);
const runs = Number(positional[1] ?? 5);
const stores = (option("store")?.split(",") ?? [...storeKinds]) as StoreKind[];
const baseline = option("baseline");
const log = (line: string) =>
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);

type Server = { label: string; start(env: Record<string, string>): Promise<Listener> };

const servers: Server[] = [
  { label: "this", start: (env) => startCompiledTarget("our-server.ts", env, 60_000) },
];
if (baseline) {
  const file = resolve(baseline);
  const flags = productionNodeFlags(readFileSync(join(repoRoot, "server", "Dockerfile"), "utf8"));
  servers.unshift({
    label: "baseline",
    start: (env) =>
      startListener({
        name: `baseline ${file}`,
        command: process.execPath,
        args: [...flags, file],
        env,
        cwd: benchRoot,
        startTimeoutMs: 60_000,
      }),
  });
}

/** One stream of all of it on a fresh server: RSS at rest, peak RSS and CPU while streaming. */
async function streamOnce(server: Server, env: Record<string, string>) {
  const running = await server.start(env);
  try {
    const all = await listAllFootprint(running.pid, running.port, size);
    return {
      restMb: all.restRssMb,
      peakMb: all.peakRssMb,
      cpuPerMillion: (all.cpuSeconds / all.messages) * 1e6,
      seconds: all.seconds,
    };
  } finally {
    await running.stop();
  }
}

async function measureStore(kind: StoreKind): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), `teams-stream-rss-${kind}-`));
  const cluster = kind === "postgres" ? await startPostgresCluster() : undefined;
  try {
    const keyDir = join(dir, "key");
    const env: Record<string, string> = cluster
      ? { DATABASE_URL: await cluster.createDatabase(), KEY_DIR: keyDir }
      : { DATA_DIR: join(dir, "data"), KEY_DIR: keyDir };
    const { token } = await signDevelopmentToken(readAuthConfig({ DATA_DIR: keyDir }), {
      scope: "teams:write",
      ttl: "2h",
      sub: "bench",
    });
    const filling = await startCompiledTarget("our-server.ts", env, 60_000);
    try {
      const { seconds } = await importOverOneStream(filling.port, token, size);
      log(`stream-rss: ${kind}: imported ${size} teams in ${seconds.toFixed(1)} s`);
    } finally {
      await filling.stop();
    }
    const rows: string[] = [];
    for (let run = 1; run <= runs; run++) {
      for (const server of servers) {
        const r = await streamOnce(server, env);
        const row = `| ${kind} | ${server.label} | ${run} | ${r.restMb.toFixed(1)} | ${r.peakMb.toFixed(1)} | ${r.cpuPerMillion.toFixed(1)} | ${r.seconds.toFixed(1)} |`;
        log(`stream-rss: ${row}`);
        rows.push(row);
      }
    }
    return rows;
  } finally {
    await cluster?.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

const rows: string[] = [];
for (const kind of stores) rows.push(...(await measureStore(kind)));
process.stdout.write(
  [
    `ListTeams of all ${size.toLocaleString("en")}+ teams, a fresh compiled server per run:`,
    "",
    "| store | server | run | RSS at rest (MB) | peak RSS streaming (MB) | server CPU s per 10^6 streamed | stream (s) |",
    "|---|---|---|---|---|---|---|",
    ...rows,
    "",
  ].join("\n"),
);
