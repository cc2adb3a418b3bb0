// `npm run bench:fanout-floor -w bench -- [watchers] [writes] [writes/s]`: the server's CPU per
// event delivered (one message to one stream) with native grpc-js watchers on one HTTP/2
// connection (as the gateway's upstream pool holds them), for our server's WatchTeams (SQLite,
// PutTeam writes) and for the floor (targets/fanout-floor-server.ts: grpc-js writing one
// pre-serialized message to every open stream, nothing else). What is above the floor is ours.
import { performance } from "node:perf_hooks";
import * as grpc from "@grpc/grpc-js";
import { WatchTeamsRequest } from "@teams/server/gen/teams";
import { dueAt } from "./load/paced-writes.ts";
import { openTeamWriter } from "./load/write-client.ts";
import { cpuSeconds } from "./proc-usage.ts";
import { startServerOnFreshStore } from "./store-systems.ts";
import { startNodeTarget } from "./systems.ts";

const [watchers = 500, writes = 200, rate = 50] = process.argv.slice(2).map(Number);
const identity = (bytes: Buffer) => bytes;

interface Target {
  name: string;
  pid: number;
  port: number;
  watchPath: string;
  watchRequest: Buffer;
  /** One write; `city` is new each time, and only the watched run's match the watches. */
  write(city: string): Promise<unknown>;
  stop(): Promise<void>;
}

/**
 * Opens `streams` streams, waits for one message on each (our snapshot_complete; the floor's
 * first message), then makes the writes; the target's CPU seconds from the first write until
 * every stream had the last.
 */
async function cpuForWrites(target: Target, streams: number): Promise<number> {
  const client = new grpc.Client(`127.0.0.1:${target.port}`, grpc.credentials.createInsecure());
  let received = 0;
  let goal = Number.POSITIVE_INFINITY;
  let reached: () => void = () => {};
  const calls = Array.from({ length: streams }, () => {
    const call = client.makeServerStreamRequest(
      target.watchPath,
      identity,
      identity,
      target.watchRequest,
    );
    call.on("data", () => {
      if (++received >= goal) reached();
    });
    call.on("error", () => {});
    return call;
  });
  const until = (count: number) =>
    new Promise<void>((resolve) => {
      goal = count;
      reached = resolve;
      if (received >= goal) resolve();
    });
  try {
    await until(streams);
    received = 0;
    const before = cpuSeconds(target.pid);
    const start = performance.now();
    const puts: Promise<unknown>[] = [];
    for (let i = 0; i < writes; i++) {
      await dueAt(start, i, rate);
      puts.push(target.write(`${streams > 0 ? "Watched" : "Alone"} ${i}`));
    }
    await Promise.all(puts);
    await until(streams * writes);
    return cpuSeconds(target.pid) - before;
  } finally {
    for (const call of calls) call.cancel();
    client.close();
  }
}

async function floorTarget(): Promise<Target> {
  const listener = await startNodeTarget("fanout-floor-server.ts");
  const client = new grpc.Client(`127.0.0.1:${listener.port}`, grpc.credentials.createInsecure());
  return {
    name: "floor",
    pid: listener.pid,
    port: listener.port,
    watchPath: "/Floor/Watch",
    watchRequest: Buffer.alloc(0),
    write: () =>
      new Promise((resolve, reject) =>
        client.makeUnaryRequest("/Floor/Write", identity, identity, Buffer.alloc(0), (error) =>
          error ? reject(error) : resolve(undefined),
        ),
      ),
    stop: async () => {
      client.close();
      await listener.stop();
    },
  };
}

async function ourTarget(): Promise<Target> {
  const { server, token } = await startServerOnFreshStore("sqlite");
  const writer = openTeamWriter(server.port, token);
  return {
    name: "our server (WatchTeams, SQLite)",
    pid: server.pid,
    port: server.port,
    watchPath: "/Teams/WatchTeams",
    watchRequest: Buffer.from(new WatchTeamsRequest({ prefix: "Watched " }).serializeBinary()),
    write: (city) => writer.put(city, "Floor"),
    stop: async () => {
      writer.close();
      await server.stop();
    },
  };
}

/**
 * CPU µs per event, and per event once the writes' own cost (the same writes with no watcher:
 * our PutTeam's token check and SQLite commit) is taken out.
 */
async function measure(target: Target): Promise<string> {
  const alone = await cpuForWrites(target, 0);
  const all = await cpuForWrites(target, watchers);
  const us = (seconds: number) => ((seconds * 1e6) / (watchers * writes)).toFixed(1);
  return `${target.name}: ${us(all)} µs CPU per event; ${us(all - alone)} without the writes' own cost (${((alone * 1e6) / writes).toFixed(0)} µs per write with no watcher)`;
}

process.stdout.write(
  `${watchers} native watchers on one connection × ${writes} writes at ${rate}/s\n`,
);
for (const start of [floorTarget, ourTarget]) {
  const target = await start();
  try {
    process.stdout.write(`${await measure(target)}\n`);
  } finally {
    await target.stop();
  }
}
