// Many WatchTeams streams through the gateway in gRPC-Web text mode (as the page watches), each
// on its own HTTP/1.1 connection, from the driver process: each decodes its events as they
// come and reports when a team put reaches it, so the driver can time a write's fan-out.
import { type ClientRequest, request } from "node:http";
import { performance } from "node:perf_hooks";
import {
  Base64Decoder,
  EnvelopeDecoder,
  frameMessage,
  trailerFlag,
} from "@teams/gateway/grpc-frame";
import { TeamEvent, WatchTeamsRequest } from "@teams/server/gen/teams";
import { protocolHeaders } from "./protocols.ts";

/** One open watch: when each put city reached it, and how it ended if it did. */
interface Watcher {
  request: ClientRequest;
  arrivals: Map<string, number>;
}

export interface WatcherPool {
  /** Resolves when every put of `city` has reached every watcher; the last arrival time. */
  lastArrival(city: string): Promise<number>;
  close(): void;
}

/** Opens `count` watches of `prefix` and resolves once every one has its snapshot. */
export async function openWatchers(
  port: number,
  prefix: string,
  count: number,
): Promise<WatcherPool> {
  const body = Buffer.from(
    frameMessage(new WatchTeamsRequest({ prefix, since_version: 0 }).serializeBinary()).toString(
      "base64",
    ),
  );
  const watchers: Watcher[] = [];
  let failure: Error | undefined;
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const waiter of waiters) waiter();
  };
  const open = (): Promise<void> =>
    new Promise((ready, reject) => {
      const arrivals = new Map<string, number>();
      const base64 = new Base64Decoder();
      const envelopes = new EnvelopeDecoder();
      const fail = (error: Error) => {
        failure ??= error;
        reject(error);
        wake();
      };
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
          res.setEncoding("utf8");
          res.on("data", (text: string) => {
            const now = performance.now();
            for (const frame of envelopes.push(base64.push(text))) {
              if ((frame.flags & trailerFlag) !== 0) {
                fail(new Error(`WatchTeams ended: ${frame.data.toString("utf8").trim()}`));
                continue;
              }
              const event = TeamEvent.deserializeBinary(frame.data);
              if (event.has_snapshot_complete) ready();
              else if (event.has_put) {
                arrivals.set(event.put.city, now);
                wake();
              }
            }
          });
          res.on("end", () => fail(new Error("WatchTeams ended without a trailer")));
        },
      );
      req.on("error", fail);
      req.end(body);
      watchers.push({ request: req, arrivals });
    });
  const pool: WatcherPool = {
    lastArrival: (city) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (failure) {
            waiters.delete(check);
            reject(failure);
            return;
          }
          let last = 0;
          for (const w of watchers) {
            const at = w.arrivals.get(city);
            if (at === undefined) return;
            last = Math.max(last, at);
          }
          waiters.delete(check);
          for (const w of watchers) w.arrivals.delete(city);
          resolve(last);
        };
        waiters.add(check);
        check();
      }),
    close() {
      failure ??= new Error("watchers closed");
      for (const w of watchers) w.request.destroy();
    },
  };
  try {
    // Opened in batches so the gateway's accept queue is never the thing measured.
    for (let i = 0; i < count; i += 100) {
      await Promise.all(Array.from({ length: Math.min(100, count - i) }, open));
    }
  } catch (error) {
    pool.close();
    throw error;
  }
  return pool;
}
