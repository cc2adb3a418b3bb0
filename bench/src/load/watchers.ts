// Many WatchTeams streams through the gateway in gRPC-Web text mode (as the page watches), each
// on its own HTTP/1.1 connection, in one process (watcher-processes.ts spreads them over
// several): each decodes its events as they come and reports when a team put reaches it, so
// the driver can time a write's fan-out.
import { type ClientRequest, request } from "node:http";
import {
  Base64Decoder,
  EnvelopeDecoder,
  frameMessage,
  trailerFlag,
} from "@teams/gateway/grpc-frame";
import { TeamEvent, WatchTeamsRequest } from "@teams/server/gen/teams";
import { protocolHeaders } from "./protocols.ts";

/** One open watch: when each awaited city reached it, and what it has received. */
interface Watcher {
  request: ClientRequest | undefined;
  arrivals: Map<string, number>;
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
   * (monotonicMs). Call it before the write: only cities asked for are timed.
   */
  lastArrival(city: string): Promise<number>;
  /** Resolves once every watcher has received at least `puts` puts since resetTally(). */
  eachReceived(puts: number): Promise<void>;
  resetTally(): void;
  tally(): WatchTally;
  close(): void | Promise<void>;
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
  const waiters = new Set<() => void>();
  /** Cities whose arrival times are kept (lastArrival's), so a long run keeps no others. */
  const awaited = new Set<string>();
  const wake = () => {
    for (const waiter of waiters) waiter();
  };
  const fail = (error: Error) => {
    failure ??= error;
    wake();
  };
  /**
   * Watches from `since`. A stream that ends (UNAVAILABLE for a watch's maximum age; a
   * connection's maximum age or a restart, as the gateway reports it) resumes from the newest
   * version received, as the page does.
   */
  const connect = (watcher: Watcher, since: number, ready: () => void): void => {
    const base64 = new Base64Decoder();
    const envelopes = new EnvelopeDecoder();
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
        res.setEncoding("utf8");
        res.on("data", (text: string) => {
          const now = monotonicMs();
          for (const frame of envelopes.push(base64.push(text))) {
            if ((frame.flags & trailerFlag) !== 0) {
              const trailer = frame.data.toString("utf8").trim();
              ended(/^grpc-status:\s*(\d+)/m.exec(trailer)?.[1] ?? "", trailer);
              continue;
            }
            const event = TeamEvent.deserializeBinary(frame.data);
            if (event.has_snapshot_complete) ready();
            else if (event.has_put) {
              if (event.version <= watcher.lastVersion) watcher.disorder++;
              watcher.lastVersion = event.version;
              watcher.puts++;
              if (awaited.has(event.put.city)) watcher.arrivals.set(event.put.city, now);
              wake();
            }
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
        arrivals: new Map(),
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
      awaited.add(city);
      const last = await until(() => {
        let latest = 0;
        for (const w of watchers) {
          const at = w.arrivals.get(city);
          if (at === undefined) return undefined;
          latest = Math.max(latest, at);
        }
        return latest;
      });
      awaited.delete(city);
      for (const w of watchers) w.arrivals.delete(city);
      return last;
    },
    eachReceived: (puts) =>
      until(() => (watchers.every((w) => w.puts >= puts) ? true : undefined)).then(() => {}),
    resetTally() {
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
