// `npm run test:scale [-- --duration 60]`: the stack scaled out on one machine, for real. A
// throwaway PostgreSQL cluster, three server replicas sharing it (supervised as
// `REPLICAS=3 npm start` runs them), and the gateway's pool in front, all on loopback.
// A steady mix of reads, writes (with a development token) and gRPC-Web text-mode watchers
// runs for the duration while replica 1 is SIGKILLed (its supervisor restarts it) and
// replica 2 is restarted gracefully (SIGTERM: it drains and exits; restarted the same way).
// Then: every write answered OK is in PostgreSQL; every watcher saw every change exactly
// once; no call failed except those in flight at the SIGKILL (counted apart). The figures
// go to SCALE-RESULTS.md beside this file; exits 1 if a check fails.
// It lives here, beside the soak, because it exercises the gateway's pool and the stack's
// supervision; the server and the database are used as they are.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { startPostgresCluster } from "@teams/server/postgres-cluster";
import pg from "pg";
import { startGateway } from "../src/index.ts";
import { startReplicaSet } from "../test/support/replica-set.ts";
import { repoRoot } from "../test/support/stack-process.ts";
import { startMixedLoad, writtenPrefix } from "./mixed-load.ts";
import { startWatcher } from "./resuming-watcher.ts";
import { sampleRotation } from "./rotation-timeline.ts";
import { type StoredRow, scaleChecks, tallyCalls } from "./scale-checks.ts";
import { type ReplicaEvent, scaleMarkdown } from "./scale-report.ts";

const { values } = parseArgs({ options: { duration: { type: "string", default: "60" } } });
const durationSeconds = Number(values.duration);
if (!Number.isFinite(durationSeconds) || durationSeconds < 10) {
  console.error(`test:scale: --duration must be a number of seconds, at least 10`);
  process.exit(2);
}
const resultsFile = fileURLToPath(new URL("./SCALE-RESULTS.md", import.meta.url));
const say = (line: string): void => console.log(`test:scale: ${line}`);
const sleepUntil = (at: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, at - performance.now())));

async function main(): Promise<number> {
  const cluster = await startPostgresCluster();
  const dataDir = mkdtempSync(join(os.tmpdir(), "teams-scale-"));
  const databaseUrl = await cluster.createDatabase();
  const cleanups: Array<() => Promise<unknown> | unknown> = [
    () => cluster.destroy(),
    () => rmSync(dataDir, { recursive: true, force: true }),
  ];
  try {
    const replicas = await startReplicaSet(3, { DATABASE_URL: databaseUrl, DATA_DIR: dataDir });
    cleanups.unshift(() => replicas.stop());
    const token = execFileSync(
      process.execPath,
      ["--import", "tsx", join(repoRoot, "server/src/auth/token-command.ts")],
      { env: { ...process.env, DATA_DIR: dataDir }, encoding: "utf8" },
    ).trim();
    // The pool as `REPLICAS=3 npm start` has it: its default health checks and ejection.
    const gateway = await startGateway({
      port: 0,
      host: "127.0.0.1",
      upstream: replicas.upstream,
      logLevel: "silent",
    });
    cleanups.unshift(() => gateway.close());
    const port = Number(new URL(gateway.url).port);
    say(`PostgreSQL on ${cluster.port}, replicas ${replicas.upstream}, gateway ${gateway.url}`);

    const watchers = [0, 1, 2, 3].map(() => startWatcher(port, writtenPrefix.toLowerCase()));
    cleanups.unshift(() => {
      for (const watcher of watchers) watcher.stop();
    });
    await Promise.all(watchers.map((watcher) => watcher.snapshotDone));
    const timeline = sampleRotation(gateway);
    cleanups.unshift(() => timeline.stop());
    const load = startMixedLoad(port, token, { readers: 6, writers: 2 });
    const begin = performance.now();
    const events: ReplicaEvent[] = [];

    await sleepUntil(begin + durationSeconds * 200);
    say("SIGKILL replica 1");
    const killAt = performance.now();
    const killed = await replicas.restart(0, "SIGKILL");
    const killedBack = performance.now();
    await sleepUntil(begin + durationSeconds * 550);
    say("graceful restart of replica 2 (SIGTERM)");
    const rollAt = performance.now();
    const rolled = await replicas.restart(1, "SIGTERM");
    const rolledBack = performance.now();
    await sleepUntil(begin + durationSeconds * 1000);
    await load.stop();
    say(`load stopped: ${load.calls.length} calls`);
    timeline.stop();
    for (const [what, index, at, down, back] of [
      ["replica 1 SIGKILLed (restarted by its supervisor)", 0, killAt, killed, killedBack],
      ["replica 2 restarted gracefully (SIGTERM, drain)", 1, rollAt, rolled, rolledBack],
    ] as const) {
      const out = timeline.outAfter(index, at);
      const rejoined = timeline.inAfter(index, back);
      events.push({
        what,
        outMs: out === undefined || out > back ? undefined : out - at,
        downMs: down.downMs,
        rejoinMs: rejoined === undefined ? undefined : rejoined - back,
      });
    }

    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    cleanups.unshift(() => db.end());
    const like = `${writtenPrefix}%`;
    const teams = await db.query<{ city: string; nickname: string; version: string }>(
      "select city, nickname, version from teams where city like $1",
      [like],
    );
    const changes = await db.query<{ version: string }>(
      "select version from changes where kind = 'put' and city like $1 order by version",
      [like],
    );
    const rows = new Map<string, StoredRow>(
      teams.rows.map((row) => [row.city, { ...row, version: Number(row.version) }]),
    );
    const changeVersions = changes.rows.map((row) => Number(row.version));
    const newest = Math.max(0, ...changeVersions);
    say(`waiting for the watchers to reach version ${newest}`);
    await Promise.race([
      Promise.all(watchers.map((watcher) => watcher.reached(newest))),
      new Promise((resolve) => setTimeout(resolve, 30_000)),
    ]);
    for (const watcher of watchers) watcher.stop();
    const watcherFigures = watchers.map((watcher) => watcher.figures());
    const kill = { killAt, outAt: timeline.outAfter(0, killAt) ?? killedBack };
    const checks = scaleChecks(load.calls, kill, rows, changeVersions, watcherFigures);

    const { calls, failureKinds } = tallyCalls(load.calls, kill);
    const markdown = scaleMarkdown(
      {
        date: new Date().toISOString().slice(0, 16).replace("T", " "),
        durationSeconds,
        machine: `${os.cpus().length} cores, Node ${process.version}, load average ${os
          .loadavg()
          .map((load) => load.toFixed(1))
          .join(" ")}`,
        calls,
        failureKinds,
        replicaEvents: events,
        watchers: watcherFigures.map((w) => ({
          events: [...w.puts.values()].reduce((sum, count) => sum + count, 0),
          resumes: w.watches - 1,
          endings: [...w.endings]
            .filter(([how]) => !how.startsWith("transport: socket hang up"))
            .map(([how, count]) => `${count} × ${how}`)
            .join("; "),
        })),
      },
      checks,
    );
    console.log(markdown);
    writeFileSync(resultsFile, markdown);
    say(`wrote ${resultsFile}`);
    return checks.every((check) => check.ok) ? 0 : 1;
  } finally {
    for (const cleanup of cleanups) await Promise.resolve(cleanup()).catch(() => {});
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`test:scale: ${(error as Error).stack ?? error}`);
    process.exit(1);
  },
);
