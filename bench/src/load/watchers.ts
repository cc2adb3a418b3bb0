// Many WatchTeams streams through the gateway in gRPC-Web text mode (as the page watches), each
// on its own HTTP/1.1 connection, in one process (watcher-processes.ts spreads them over
// several): each reads its events as they come (watcher-event.ts: only what is checked) and
// counts, per put city, how many of this process's watchers have it, so the driver can time a
// write's fan-out. Every check is incremental: an event costs the same with 10 or 1,000 watchers.
import { type ClientRequest, request } from "node:http";
import { frameMessage, trailerFlag } from "@teams/gateway/grpc-frame";
import { WatchTeamsRequest } from "@teams/server/gen/teams";
import { protocolHeaders } from "./protocols.ts";
import { eventKind, readWatchedEvent, TextEnvelopes } from "./watcher-event.ts";

/** One open watch: what it has received. */
interface Watcher {
  request: ClientRequest | undefined;
  /** Team puts received since the last resetTally(). */
  puts: number;
  lastVersion: number;
  /** The newest version of any event (heartbeats too): where a resumed watch starts. */
  version: number;
  /** Events whose version was not above the one before: a repeat or a reordering. */
  disorder: number;
  /** Times the watch ended (maximum age, connection age, restart) and it watched again. */
  resumes: number;
}

/** Since resetTally(): puts per watcher (fewest, most), events out of version order, resumes. */
export interface WatchTally {
  fewest: number;
  most: number;
  disorder: number;
  resumes: number;
}

/**
 * Now in ms on the system's monotonic clock (CLOCK_MONOTONIC, as process.hrtime): the same
 * clock in every process, so a watcher process's arrival compares with the driver's send.
 */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export interface WatcherPool {
  /**
   * Resolves when a put of `city` has reached every watcher, with the last arrival time
   * (monotonicMs).
   */
  lastArrival(city: string): Promise<number>;
  /**
   * The cities starting with `prefix` that have reached every watcher, each with the time the
   * last one received it (monotonicMs); forgets them.
   */
  takeArrivals(prefix: string): [city: string, last: number][];
  /** Resolves once every watcher has received at least `puts` puts since resetTally(). */
  eachReceived(puts: number): Promise<void>;
  resetTally(): void;
  tally(): WatchTally;
  close(): void | Promise<void>;
}

/** Puts of one city on their way to every watcher: how many have it, and when the latest did. */
interface Spread {
  watchers: number;
  last: number;
}

/**
 * Opens `count` watches of `prefix`, `batch` at a time (so the gateway's accept queue is never
 * the thing measured), and resolves once every one has its snapshot.
 */
export async function openWatchers(
  port: number,
  prefix: string,
  count: number,
  batch = 100,
): Promise<WatcherPool> {
  const requestBody = (since: number) =>
    Buffer.from(
      frameMessage(
        new WatchTeamsRequest({ prefix, since_version: since }).serializeBinary(),
      ).toString("base64"),
    );
  const watchers: Watcher[] = [];
  let failure: Error | undefined;
  /** Checks of pending promises, run when a city reaches every watcher or a watch fails. */
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const waiter of waiters) waiter();
  };
  /** Cities some but not all watchers have, in order (each watcher counts once, in version order). */
  const spreading = new Map<string, Spread>();
  /** Cities every watcher has: when the last one received it. */
  const arrived = new Map<string, number>();
  /** eachReceived's goal, and how many watchers have reached it. */
  let goal = Number.POSITIVE_INFINITY;
  let atGoal = 0;
  const fail = (error: Error) => {
    failure ??= error;
    wake();
  };
  const received = (watcher: Watcher, version: number, city: string, now: number): void => {
    if (version <= watcher.lastVersion) {
      watcher.disorder++; // counted, and not taken as an arrival
      return;
    }
    watcher.lastVersion = version;
    if (++watcher.puts === goal && ++atGoal === watchers.length) wake();
    const spread = spreading.get(city) ?? { watchers: 0, last: 0 };
    spread.watchers++;
    spread.last = now;
    if (spread.watchers < watchers.length) spreading.set(city, spread);
    else {
      spreading.delete(city);
      arrived.set(city, now);
      wake();
    }
  };
  /**
   * Watches from `since`. A stream that ends (UNAVAILABLE for a watch's maximum age; a
   * connection's maximum age or a restart, as the gateway reports it) resumes from the newest
   * version received, as the page does.
   */
  const connect = (watcher: Watcher, since: number, ready: () => void): void => {
    const frames = new TextEnvelopes();
    const req = request(
      {
        host: "127.0.0.1",
        port,
        method: "POST",
        path: "/Teams/WatchTeams",
        headers: protocolHeaders["grpc-web-text"],
        agent: false,
      },
      (res) => {
        if (res.statusCode !== 200) fail(new Error(`WatchTeams: HTTP ${res.statusCode}`));
        /**
         * The status arrived (trailer frame, or headers for a trailers-only answer). As the
         * page, it watches again from where it was unless it never had a snapshot or must
         * list again (FAILED_PRECONDITION: history trimmed), which the bench never expects.
         */
        const ended = (status: string, trailer: string): void => {
          done = true;
          if (status === "9" || watcher.version === 0)
            fail(new Error(`WatchTeams ended: ${trailer}`));
          else {
            watcher.resumes++;
            connect(watcher, watcher.version, ready);
          }
        };
        let done = false;
        const headerStatus = res.headers["grpc-status"];
        if (headerStatus !== undefined)
          ended(String(headerStatus), `grpc-status:${headerStatus} ${res.headers["grpc-message"]}`);
        res.on("data", (chunk: Buffer) => {
          const now = monotonicMs();
          for (const frame of frames.push(chunk)) {
            if ((frame.flags & trailerFlag) !== 0) {
              const trailer = frame.data.toString("utf8").trim();
              ended(/^grpc-status:\s*(\d+)/m.exec(trailer)?.[1] ?? "", trailer);
              continue;
            }
            const event = readWatchedEvent(frame.data);
            if (event.kind === eventKind.snapshotComplete) ready();
            else if (event.kind === eventKind.put)
              received(watcher, event.version, event.city, now);
            watcher.version = Math.max(watcher.version, event.version);
          }
        });
        res.on("end", () => done || fail(new Error("WatchTeams ended without a trailer")));
      },
    );
    req.on("error", fail);
    req.end(requestBody(since));
    watcher.request = req;
  };
  const open = (): Promise<void> =>
    new Promise((ready, reject) => {
      const watcher: Watcher = {
        request: undefined,
        puts: 0,
        lastVersion: 0,
        version: 0,
        disorder: 0,
        resumes: 0,
      };
      watchers.push(watcher);
      const failed = () => {
        if (!failure) return;
        waiters.delete(failed);
        reject(failure);
      };
      waiters.add(failed);
      connect(watcher, 0, () => {
        waiters.delete(failed);
        ready();
      });
    });
  /** Resolves with `done()`'s value once it is defined, rejects when a watch fails. */
  const until = <T>(done: () => T | undefined): Promise<T> =>
    new Promise((resolve, reject) => {
      const check = () => {
        const value = failure ? undefined : done();
        if (!failure && value === undefined) return;
        waiters.delete(check);
        if (failure) reject(failure);
        else resolve(value as T);
      };
      waiters.add(check);
      check();
    });
  const pool: WatcherPool = {
    async lastArrival(city) {
      const last = await until(() => arrived.get(city));
      arrived.delete(city);
      return last;
    },
    takeArrivals(citiesPrefix) {
      const taken = [...arrived].filter(([city]) => city.startsWith(citiesPrefix));
      for (const [city] of taken) arrived.delete(city);
      return taken;
    },
    eachReceived(puts) {
      goal = puts;
      atGoal = watchers.filter((w) => w.puts >= puts).length;
      return until(() => (atGoal === watchers.length ? true : undefined)).then(() => {});
    },
    resetTally() {
      goal = Number.POSITIVE_INFINITY;
      for (const w of watchers) {
        w.puts = 0;
        w.disorder = 0;
        w.resumes = 0;
      }
    },
    tally() {
      const puts = watchers.map((w) => w.puts);
      return {
        fewest: Math.min(...puts),
        most: Math.max(...puts),
        disorder: watchers.reduce((sum, w) => sum + w.disorder, 0),
        resumes: watchers.reduce((sum, w) => sum + w.resumes, 0),
      };
    },
    close() {
      failure ??= new Error("watchers closed");
      for (const w of watchers) w.request?.destroy();
    },
  };
  try {
    for (let i = 0; i < count; i += batch) {
      await Promise.all(Array.from({ length: Math.min(batch, count - i) }, open));
    }
  } catch (error) {
    pool.close();
    throw error;
  }
  return pool;
}
