// Fixed-rate, open-loop load: calls start on schedule whether or not earlier ones
// have finished (as independent browsers would), in a fixed mix.
import type http from "node:http";
import { ListTeamsRequest, TeamRequest } from "@teams/web/gen";
import { type CallOutcome, callGrpcWeb } from "./grpc-web-client.ts";

export type CallKind = "unary" | "stream" | "cancelled";

export interface LoadRecord {
  readonly kind: CallKind;
  readonly outcome: CallOutcome;
  /** performance.now() when the call started and ended (to match it against replica kills). */
  readonly startedAt: number;
  readonly endedAt: number;
  /** Why this call counts as an error, if it does. */
  readonly error?: string;
}

const cities = ["Chicago", "Detroit", "boston", " Seattle ", "Gotham", "New York"];
const allTeams = 10; // server/data/teams.json

/** Call number `index` of the mix: 1 in 20 a stream cancelled on purpose, 5 in 20 streams, the rest unary. */
export function kindOf(index: number): CallKind {
  const slot = index % 20;
  if (slot === 0) return "cancelled";
  return slot <= 5 ? "stream" : "unary";
}

async function oneCall(agent: http.Agent, port: number, index: number): Promise<LoadRecord> {
  const startedAt = performance.now();
  const record = await callOf(agent, port, index);
  return { ...record, startedAt, endedAt: performance.now() };
}

async function callOf(
  agent: http.Agent,
  port: number,
  index: number,
): Promise<Omit<LoadRecord, "startedAt" | "endedAt">> {
  const kind = kindOf(index);
  const text = index % 2 === 0;
  if (kind === "unary") {
    const city = cities[index % cities.length] as string;
    const request = new TeamRequest({ city }).serialize();
    const outcome = await callGrpcWeb(agent, port, "/Teams/GetTeam", request, { text });
    const ok = outcome.status === 0 && outcome.messages === 1;
    return { kind, outcome, ...(ok ? {} : { error: describe(outcome) }) };
  }
  const request = new ListTeamsRequest({ prefix: "" }).serialize();
  const outcome = await callGrpcWeb(agent, port, "/Teams/ListTeams", request, {
    text,
    cancelAfterFirstBytes: kind === "cancelled",
  });
  if (kind === "cancelled") return { kind, outcome }; // any ending is fine: it was cut on purpose
  const ok = outcome.status === 0 && outcome.messages === allTeams;
  return { kind, outcome, ...(ok ? {} : { error: describe(outcome) }) };
}

function describe(outcome: CallOutcome): string {
  return `status ${outcome.status} with ${outcome.messages} messages: ${outcome.message}`;
}

export interface LoadRun {
  readonly records: LoadRecord[];
  /** Calls started; all of them have finished once `finished` resolves. */
  readonly started: () => number;
  readonly finished: Promise<LoadRecord[]>;
}

/** Starts `rate` calls per second for `seconds`, through a keep-alive pool of `sockets`. */
export function runLoad(agent: http.Agent, port: number, rate: number, seconds: number): LoadRun {
  const records: LoadRecord[] = [];
  const pending: Promise<void>[] = [];
  const total = Math.round(rate * seconds);
  const begin = performance.now();
  let next = 0;
  const finished = new Promise<LoadRecord[]>((resolve) => {
    const timer = setInterval(() => {
      // Catch up with the schedule however late this tick is.
      const due = Math.min(total, Math.floor(((performance.now() - begin) * rate) / 1000));
      for (; next < due; next += 1) {
        pending.push(oneCall(agent, port, next).then((record) => void records.push(record)));
      }
      if (next >= total) {
        clearInterval(timer);
        void Promise.all(pending).then(() => resolve(records));
      }
    }, 5);
  });
  return { records, started: () => next, finished };
}
