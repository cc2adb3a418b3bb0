// `npm run soak -- --duration 180 --rate 200 [--write-results]`: a bounded soak of
// the gateway (see README.md). Exits 1 if any criterion fails. With `--replicas 3
// --kill-every 15` the gateway's pool fronts three supervised server replicas, one of which
// is SIGKILLed (and restarted) every 15 s: calls on a killed replica are counted apart.
import { type ChildProcess, fork } from "node:child_process";
import { once } from "node:events";
import { writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { startServer } from "@teams/server";
import { type ReplicaSet, startReplicaSet } from "../test/support/replica-set.ts";
import type { ChildStats } from "./gateway-child.ts";
import { type LoadRecord, runLoad } from "./load.ts";
import { onKilledReplica, startReplicaKills } from "./replica-kills.ts";
import { criteria, latencyOf, mib, resultsMarkdown, type SoakFigures } from "./report.ts";

const { values } = parseArgs({
  options: {
    duration: { type: "string", default: "180" },
    rate: { type: "string", default: "200" },
    warmup: { type: "string" },
    replicas: { type: "string", default: "1" },
    "kill-every": { type: "string" },
    "write-results": { type: "boolean", default: false },
  },
});
const durationSeconds = positive("--duration", values.duration);
const rate = positive("--rate", values.rate);
// 10 s by default: long enough for the heap and the allocator to settle before the RSS baseline.
const warmupSeconds = values.warmup ? positive("--warmup", values.warmup) : 10;
const replicaCount = positive("--replicas", values.replicas);
const killEverySeconds = values["kill-every"] ? positive("--kill-every", values["kill-every"]) : 0;
if (killEverySeconds > 0 && replicaCount < 2) {
  console.error("soak: --kill-every needs --replicas 2 or more (one must be left to answer)");
  process.exit(2);
}
// A replicas run has its own results file, so the single-server figures stay beside it.
const resultsFile = fileURLToPath(
  new URL(replicaCount > 1 ? "./SOAK-REPLICAS-RESULTS.md" : "./SOAK-RESULTS.md", import.meta.url),
);

function positive(flag: string, value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) {
    console.error(`soak: ${flag} must be a positive number, got ${JSON.stringify(value)}`);
    process.exit(2);
  }
  return number;
}

function startGatewayChild(upstream: string): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(fileURLToPath(new URL("./gateway-child.ts", import.meta.url)), {
    execArgv: ["--expose-gc", "--import", "tsx"],
    env: { ...process.env, UPSTREAM: upstream },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    child.once("exit", (code) =>
      reject(new Error(`the gateway exited (code ${code}) before listening`)),
    );
    child.once("message", (message) =>
      resolve({ child, port: (message as { port: number }).port }),
    );
  });
}

async function statsOf(child: ChildProcess, what = "stats"): Promise<ChildStats> {
  child.send(what);
  const [stats] = await once(child, "message");
  return stats as ChildStats;
}

const settle = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The gateway's figures once it has caught up with the end of the load: a second after it,
 * or up to 10 s more while calls or connections are still closing (a busy machine lags).
 * A leak never closes, so it still shows.
 */
async function settledStats(child: ChildProcess, start: ChildStats): Promise<ChildStats> {
  await settle(1000);
  const deadline = performance.now() + 10_000;
  for (;;) {
    const stats = await statsOf(child, "rotation");
    const idle =
      stats.openStreams === 0 && stats.activeCalls === 0 && stats.sockets <= start.sockets;
    if (idle || performance.now() > deadline) return statsOf(child);
    await settle(100);
  }
}

async function main(): Promise<number> {
  const upstream = await startUpstream();
  const { child, port } = await startGatewayChild(upstream.address);
  try {
    console.log(`soak: warm-up ${warmupSeconds} s, then ${durationSeconds} s at ${rate} calls/s`);
    // A browser-like pool: a few dozen kept-alive connections.
    const pool = (): http.Agent => new http.Agent({ keepAlive: true, maxSockets: 32 });
    const warmupAgent = pool();
    await runLoad(warmupAgent, port, rate, warmupSeconds).finished;
    warmupAgent.destroy();
    await settle(1000);
    const start = await statsOf(child);
    console.log(`soak: after warm-up ${JSON.stringify(start)}`);

    const agent = pool();
    const run = runLoad(agent, port, rate, durationSeconds);
    const kills =
      upstream.replicas && killEverySeconds > 0
        ? startReplicaKills(upstream.replicas, killEverySeconds, async () => {
            return (await statsOf(child, "rotation")).inRotation;
          })
        : undefined;
    const rssSamples: number[] = [];
    const sampler = setInterval(() => {
      void statsOf(child).then((stats) => {
        rssSamples.push(stats.rss);
        const done = run.records.length;
        const failed = run.records.filter((record) => record.error).length;
        console.log(`soak: ${done} calls done, ${failed} failed, gateway RSS ${mib(stats.rss)}`);
      });
    }, 10_000);
    const records: LoadRecord[] = await run.finished;
    const killWindows = (await kills?.stop()) ?? [];
    clearInterval(sampler);
    agent.destroy();
    const end = await settledStats(child, start);

    const byKind: Record<string, number> = {};
    for (const record of records) byKind[record.kind] = (byKind[record.kind] ?? 0) + 1;
    const failed = records.filter((record) => record.error);
    const onKilled = failed.filter((record) => onKilledReplica(record, killWindows));
    const errors = failed.filter((record) => !onKilledReplica(record, killWindows));
    const figures: SoakFigures = {
      date: new Date().toISOString().slice(0, 16).replace("T", " "),
      durationSeconds,
      rate,
      calls: records.length,
      byKind,
      errors: errors.length,
      replicas: replicaCount,
      kills: killWindows.length,
      killEverySeconds,
      failedOnKilled: onKilled.length,
      killDownMs: killWindows.map((window) => window.downMs),
      killOutMs: killWindows.map((window) => window.outAt - window.killAt),
      firstErrors: [...new Set(errors.map((record) => record.error as string))].slice(0, 5),
      latency: latencyOf(records),
      rssStart: start.rss,
      rssEnd: end.rss,
      rssSamples,
      heapStart: start.heapUsed,
      heapEnd: end.heapUsed,
      openStreamsEnd: end.openStreams,
      activeCallsEnd: end.activeCalls,
      socketsStart: start.sockets,
      socketsEnd: end.sockets,
      sessionsOpened: end.sessionsOpened,
      machine: `${os.cpus().length} cores, Node ${process.version}, load average ${os
        .loadavg()
        .map((load) => load.toFixed(1))
        .join(" ")}`,
    };
    const checks = criteria(figures);
    const markdown = resultsMarkdown(figures, checks);
    console.log(markdown);
    if (values["write-results"]) {
      writeFileSync(resultsFile, markdown);
      console.log(`soak: wrote ${resultsFile}`);
    }
    return checks.every((check) => check.ok) ? 0 : 1;
  } finally {
    child.disconnect();
    await once(child, "exit");
    await upstream.stop();
  }
}

/** One in-process server, or `--replicas` supervised server processes. */
async function startUpstream(): Promise<{
  address: string;
  replicas?: ReplicaSet;
  stop(): Promise<void>;
}> {
  if (replicaCount > 1) {
    const replicas = await startReplicaSet(replicaCount);
    return { address: replicas.upstream, replicas, stop: replicas.stop };
  }
  const server = await startServer({ port: 0, host: "127.0.0.1", logLevel: "silent" });
  return { address: `127.0.0.1:${server.port}`, stop: () => server.shutdown() };
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`soak: ${(error as Error).stack ?? error}`);
    process.exit(1);
  },
);
