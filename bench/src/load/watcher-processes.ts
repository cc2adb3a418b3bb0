// The fan-out watchers spread over several processes (watcher-process.ts), so the driver's one
// event loop is not what the scenario measures: together they act as one WatcherPool.
import { type ChildProcess, fork } from "node:child_process";
import { once } from "node:events";
import { benchFile } from "../paths.ts";
import type { WatcherReply, WatcherRequest } from "./watcher-process.ts";
import type { WatchTally } from "./watchers.ts";

/** The watchers of every process, as one. */
export interface FanoutWatchers {
  /**
   * Has every watcher await a put of `city`; resolves once they all do (call it before the
   * write) with `last`: the time the last one received it (monotonicMs).
   */
  lastArrival(city: string): Promise<{ last: Promise<number> }>;
  /**
   * The cities starting with `prefix` that have reached every watcher of every process, each
   * with the time the last watcher received it (monotonicMs); the processes forget them.
   */
  takeArrivals(prefix: string): Promise<Map<string, number>>;
  /** Resolves once every watcher has received at least `puts` puts since resetTally(). */
  eachReceived(puts: number): Promise<void>;
  resetTally(): Promise<void>;
  tally(): Promise<WatchTally>;
  close(): Promise<void>;
  /** The watcher processes' ids, to read their CPU from /proc. */
  readonly pids: number[];
  /** Watchers over all processes. */
  readonly count: number;
}

type Op = WatcherRequest extends infer R
  ? R extends { id: number }
    ? Omit<R, "id">
    : never
  : never;

interface Pending {
  acknowledged: () => void;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/** One watcher process: its requests in flight, answered by id. */
class WatcherProcess {
  readonly #pending = new Map<number, Pending>();
  #nextId = 0;

  constructor(readonly child: ChildProcess) {
    child.on("message", (message: WatcherReply) => {
      if (!("id" in message)) return;
      const pending = this.#pending.get(message.id);
      if (!pending) return;
      if ("acknowledged" in message) return pending.acknowledged();
      this.#pending.delete(message.id);
      if ("error" in message) pending.reject(new Error(message.error));
      else pending.resolve(message.value);
    });
    child.on("exit", (code, signal) => {
      const error = new Error(`a watcher process exited (${signal ?? code})`);
      for (const pending of this.#pending.values()) pending.reject(error);
      this.#pending.clear();
    });
  }

  /** Sends `op`; `acknowledged` resolves once the process took it, `answer` with its value. */
  request(op: Op): { acknowledged: Promise<void>; answer: Promise<unknown> } {
    const id = this.#nextId++;
    let acknowledged!: () => void;
    const taken = new Promise<void>((resolve) => {
      acknowledged = resolve;
    });
    const answer = new Promise<unknown>((resolve, reject) => {
      this.#pending.set(id, { acknowledged, resolve, reject });
    });
    this.child.send({ ...op, id });
    return { acknowledged: op.op === "lastArrival" ? taken : Promise.resolve(), answer };
  }
}

/** BENCH_WATCHER_PROFILE_DIR=DIR: each watcher process writes a `node --cpu-prof` profile there. */
const profileDir = process.env.BENCH_WATCHER_PROFILE_DIR;
const profileArgs = profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [];

/** Watches opened at a time, over all processes. */
const openingAtOnce = 100;

async function startWatcherProcess(port: number, prefix: string, count: number, batch: number) {
  const args = [String(port), prefix, String(count), String(batch)];
  const child = fork(benchFile("load/watcher-process.ts"), args, {
    execArgv: [...profileArgs, "--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const [message] = (await Promise.race([
    once(child, "message"),
    once(child, "exit").then(([code]) => [{ failed: `exited (${code}) before it was ready` }]),
  ])) as [WatcherReply];
  if ("failed" in message) {
    child.kill();
    throw new Error(`watcher process: ${message.failed}`);
  }
  return new WatcherProcess(child);
}

/** Opens `count` watches of `prefix` over `processes` processes; resolves once all have their snapshot. */
export async function openWatcherProcesses(
  port: number,
  prefix: string,
  count: number,
  processes: number,
): Promise<FanoutWatchers> {
  const parts = Math.min(processes, count);
  const shares = Array.from({ length: parts }, (_, i) => Math.floor((count + i) / parts));
  const started = await Promise.allSettled(
    shares.map((share) =>
      startWatcherProcess(port, prefix, share, Math.ceil(openingAtOnce / parts)),
    ),
  );
  const workers = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
  const failed = started.find((s) => s.status === "rejected");
  if (failed) {
    for (const worker of workers) worker.child.kill();
    throw (failed as PromiseRejectedResult).reason;
  }
  const all = (op: Op) => workers.map((worker) => worker.request(op));
  return {
    pids: workers.map((worker) => worker.child.pid as number),
    count,
    async lastArrival(city) {
      const requests = all({ op: "lastArrival", city });
      await Promise.all(requests.map((r) => r.acknowledged));
      return {
        last: Promise.all(requests.map((r) => r.answer)).then((times) =>
          Math.max(...(times as number[])),
        ),
      };
    },
    async takeArrivals(prefix) {
      const parts = (await Promise.all(
        all({ op: "takeArrivals", prefix }).map((r) => r.answer),
      )) as [string, number][][];
      const seen = new Map<string, { processes: number; last: number }>();
      for (const [city, last] of parts.flat()) {
        const sofar = seen.get(city) ?? { processes: 0, last: 0 };
        seen.set(city, { processes: sofar.processes + 1, last: Math.max(sofar.last, last) });
      }
      return new Map(
        [...seen].filter(([, s]) => s.processes === workers.length).map(([c, s]) => [c, s.last]),
      );
    },
    eachReceived: async (puts) => {
      await Promise.all(all({ op: "eachReceived", puts }).map((r) => r.answer));
    },
    resetTally: async () => {
      await Promise.all(all({ op: "resetTally" }).map((r) => r.answer));
    },
    async tally() {
      const tallies = (await Promise.all(
        all({ op: "tally" }).map((r) => r.answer),
      )) as WatchTally[];
      return {
        fewest: Math.min(...tallies.map((t) => t.fewest)),
        most: Math.max(...tallies.map((t) => t.most)),
        disorder: tallies.reduce((sum, t) => sum + t.disorder, 0),
        resumes: tallies.reduce((sum, t) => sum + t.resumes, 0),
      };
    },
    async close() {
      await Promise.all(
        workers.map((worker) => {
          const exited = once(worker.child, "exit");
          worker.child.disconnect();
          return exited;
        }),
      );
    },
  };
}
