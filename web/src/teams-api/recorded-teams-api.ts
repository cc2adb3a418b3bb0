import type { CallOptions, ListTeamsQuery, Team, TeamsApi, TeamsMethod } from "./teams-api.ts";
import { statusName, TeamsError } from "./teams-error.ts";

/** One call the page made, as the call panel shows it. */
export interface CallRecord {
  id: number;
  method: TeamsMethod;
  /** The request in a line, e.g. `city: "Chicago"`. */
  request: string;
  /** "pending" until the call ends, then the gRPC status name, e.g. "OK" or "UNAVAILABLE". */
  status: string;
  /** Messages received so far: one for GetTeam, any number for the ListTeams stream. */
  messages: number;
  startedAt: number;
  /** Set when the call ends. */
  durationMs?: number;
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
  const start = (method: TeamsMethod, request: string) => {
    const record: CallRecord = {
      id: nextId++,
      method,
      request,
      status: "pending",
      messages: 0,
      startedAt: now(),
    };
    onCall(record);
    return {
      message(): void {
        record.messages += 1;
        onCall({ ...record });
      },
      end(error?: unknown): void {
        record.status = error === undefined ? "OK" : statusName(TeamsError.from(error).code);
        record.durationMs = now() - record.startedAt;
        onCall({ ...record });
      },
    };
  };

  return {
    async getTeam(city: string, options?: CallOptions): Promise<Team> {
      const call = start("GetTeam", `city: ${JSON.stringify(city)}`);
      try {
        const team = await api.getTeam(city, options);
        call.message();
        call.end();
        return team;
      } catch (error) {
        call.end(error);
        throw error;
      }
    },
    async *listTeams(query: ListTeamsQuery, options?: CallOptions): AsyncGenerator<Team> {
      const limit = query.limit ? `, limit: ${query.limit}` : "";
      const call = start("ListTeams", `prefix: ${JSON.stringify(query.prefix)}${limit}`);
      let ended = false;
      try {
        for await (const team of api.listTeams(query, options)) {
          call.message();
          yield team;
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
    },
  };
}
