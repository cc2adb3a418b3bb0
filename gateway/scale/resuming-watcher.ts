// A WatchTeams watcher as the page runs one: gRPC-Web text mode through the gateway, events
// read as they arrive, and on any ending (a replica draining ends watches with UNAVAILABLE,
// a killed one cuts them) a new watch from the last version received.
import http from "node:http";
import { TeamEvent, WatchTeamsRequest } from "@teams/web/gen";
import { Base64Decoder } from "../src/base64-stream.ts";
import { EnvelopeDecoder, encodeEnvelope, trailerFlag } from "../src/envelope.ts";
import { decodeGrpcMessage, decodeTrailerBlock } from "../src/trailer.ts";

export interface WatcherFigures {
  /** Put events received after the snapshot, by version (a version seen twice counts 2). */
  readonly puts: Map<number, number>;
  /** The newest version the watcher has covered (resume point). */
  readonly version: number;
  /** Watches opened (1 + resumes). */
  readonly watches: number;
  /** How each watch ended, "status: message" (a count per distinct text). */
  readonly endings: Map<string, number>;
}

export interface ResumingWatcher {
  /** Resolves once the first watch's snapshot is complete: changes count from there. */
  readonly snapshotDone: Promise<void>;
  figures(): WatcherFigures;
  /** Resolves once the watcher has covered `version`. */
  reached(version: number): Promise<void>;
  stop(): void;
}

/** Watches `prefix` from `sinceVersion` (0: snapshot first) until stopped. */
export function startWatcher(port: number, prefix: string, sinceVersion = 0): ResumingWatcher {
  const puts = new Map<number, number>();
  const endings = new Map<string, number>();
  let version = sinceVersion;
  let watches = 0;
  let snapshotDone = sinceVersion > 0;
  let stopped = false;
  let current: http.ClientRequest | undefined;
  const waiters: Array<{ version: number; resolve: () => void }> = [];
  let snapshotComplete = (): void => {};
  const snapshotPromise = new Promise<void>((resolve) => {
    snapshotComplete = resolve;
  });
  if (snapshotDone) snapshotComplete();

  const onEvent = (event: TeamEvent): void => {
    if (event.event === "snapshot_complete") {
      snapshotDone = true;
      snapshotComplete();
    } else if (event.event === "put" && snapshotDone)
      puts.set(event.version, (puts.get(event.version) ?? 0) + 1);
    version = Math.max(version, event.version);
    for (const waiter of waiters.filter((w) => w.version <= version)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  };

  const ended = (how: string): void => {
    endings.set(how, (endings.get(how) ?? 0) + 1);
    if (!stopped) setTimeout(watch, 50); // as the page: a short pause, then resume
  };

  const watch = (): void => {
    watches += 1;
    const request = new WatchTeamsRequest({ prefix, since_version: version }).serialize();
    const req = http.request({
      host: "127.0.0.1",
      port,
      path: "/Teams/WatchTeams",
      method: "POST",
      headers: {
        "content-type": "application/grpc-web-text",
        accept: "application/grpc-web-text",
        "x-grpc-web": "1",
      },
    });
    current = req;
    let done = false;
    const end = (how: string): void => {
      if (done) return;
      done = true;
      ended(how);
    };
    req.on("error", (error) => end(`transport: ${error.message}`));
    req.on("response", (res) => {
      const text = new Base64Decoder();
      const frames = new EnvelopeDecoder();
      let trailers: Record<string, string> = {};
      res.on("data", (chunk: Buffer) => {
        for (const frame of frames.push(text.push(chunk))) {
          if (frame.flags & trailerFlag) trailers = decodeTrailerBlock(frame.data);
          else onEvent(TeamEvent.deserialize(frame.data));
        }
      });
      res.on("error", (error) => end(`transport: ${error.message}`));
      res.on("end", () => {
        const status = trailers["grpc-status"] ?? res.headers["grpc-status"] ?? "none";
        const message = decodeGrpcMessage(
          String(trailers["grpc-message"] ?? res.headers["grpc-message"] ?? ""),
        );
        end(`${status}: ${message.replace(/\d+/g, "N")}`);
      });
    });
    req.end(Buffer.from(encodeEnvelope(0, request).toString("base64")));
  };
  watch();

  return {
    snapshotDone: snapshotPromise,
    figures: () => ({ puts, version, watches, endings }),
    reached: (target) =>
      target <= version
        ? Promise.resolve()
        : new Promise((resolve) => waiters.push({ version: target, resolve })),
    stop() {
      stopped = true;
      current?.destroy();
    },
  };
}
