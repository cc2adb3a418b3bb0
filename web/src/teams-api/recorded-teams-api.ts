import type { CallOptions, TeamEvent, TeamsApi, TeamsMethod } from "./teams-api.ts";
import { statusName, TeamsError } from "./teams-error.ts";

/** One call the page made, as the call panel shows it. */
export interface CallRecord {
  id: number;
  method: TeamsMethod;
  /** The request in a line, e.g. `city: "Chicago"`. */
  request: string;
  /** "pending" until the call ends, then the gRPC status name, e.g. "OK" or "UNAVAILABLE". */
  status: string;
  /** Messages received so far: one for a unary call, any number for a stream. */
  messages: number;
  /** The latest stream message in a line, e.g. `put Chicago (v12)`; streams of events only. */
  lastMessage?: string;
  startedAt: number;
  /** Set when the call ends. */
  durationMs?: number;
  /** Why the page cancelled it, e.g. "stale" for a stream a newer search replaced. */
  cancelReason?: string;
}

export type CallListener = (record: CallRecord) => void;

let nextId = 1;

/**
 * Wraps any TeamsApi so that every call reports itself to `onCall` when it starts, as
 * stream messages arrive, and when it ends. The page's call panel listens, so people can
 * watch what gRPC-Web does; it works the same over the real client and a test fake.
 */
export function withCallRecording(
  api: TeamsApi,
  onCall: CallListener,
  now: () => number = () => performance.now(),
): TeamsApi {
  const start = (method: TeamsMethod, request: string, options?: CallOptions) => {
    const record: CallRecord = {
      id: nextId++,
      method,
      request,
      status: "pending",
      messages: 0,
      startedAt: now(),
    };
    onCall({ ...record });
    return {
      message(line?: string): void {
        record.messages += 1;
        if (line !== undefined) record.lastMessage = line;
        onCall({ ...record });
      },
      end(error?: unknown): void {
        record.status = error === undefined ? "OK" : statusName(TeamsError.from(error).code);
        record.durationMs = now() - record.startedAt;
        const reason: unknown = options?.signal?.reason;
        if (options?.signal?.aborted && typeof reason === "string") record.cancelReason = reason;
        onCall({ ...record });
      },
    };
  };
  type Call = ReturnType<typeof start>;

  async function unary<T>(call: Call, run: () => Promise<T>): Promise<T> {
    try {
      const answer = await run();
      call.message();
      call.end();
      return answer;
    } catch (error) {
      call.end(error);
      throw error;
    }
  }

  async function* stream<T>(
    call: Call,
    source: AsyncIterable<T>,
    describe?: (item: T) => string,
  ): AsyncGenerator<T> {
    let ended = false;
    try {
      for await (const item of source) {
        call.message(describe?.(item));
        yield item;
      }
      ended = true;
      call.end();
    } catch (error) {
      ended = true;
      call.end(error);
      throw error;
    } finally {
      // The consumer left the loop early: the stream was cancelled, not finished.
      if (!ended) call.end(TeamsError.cancelled());
    }
  }

  return {
    getTeam(city, options) {
      const call = start("GetTeam", `city: ${JSON.stringify(city)}`, options);
      return unary(call, () => api.getTeam(city, options));
    },
    listTeams(query, options) {
      const limit = query.limit ? `, limit: ${query.limit}` : "";
      const call = start("ListTeams", `prefix: ${JSON.stringify(query.prefix)}${limit}`, options);
      return stream(call, api.listTeams(query, options));
    },
    watchTeams(query, options) {
      const request = `prefix: ${JSON.stringify(query.prefix)}, since_version: ${query.sinceVersion}`;
      const call = start("WatchTeams", request, options);
      return stream(call, api.watchTeams(query, options), describeEvent);
    },
    putTeam(input, options) {
      const ifVersion = input.ifVersion === undefined ? "" : `, if_version: ${input.ifVersion}`;
      const request = `city: ${JSON.stringify(input.city)}, nickname: ${JSON.stringify(input.nickname)}${ifVersion}`;
      const call = start("PutTeam", request, options);
      return unary(call, () => api.putTeam(input, options));
    },
    deleteTeam(input, options) {
      const ifVersion = input.ifVersion === undefined ? "" : `, if_version: ${input.ifVersion}`;
      const call = start("DeleteTeam", `city: ${JSON.stringify(input.city)}${ifVersion}`, options);
      return unary(call, () => api.deleteTeam(input, options));
    },
  };
}

/** `put Chicago (v12)`, `deleted Miami (v13)`, `snapshot complete (v13)`, `heartbeat (v13)`. */
export function describeEvent(event: TeamEvent): string {
  switch (event.type) {
    case "put":
      return `put ${event.team.city} (v${event.version})`;
    case "deleted":
      return `deleted ${event.city} (v${event.version})`;
    case "snapshotComplete":
      return `snapshot complete (v${event.version})`;
    case "heartbeat":
      return `heartbeat (v${event.version})`;
  }
}
