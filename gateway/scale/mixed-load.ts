// The scale run's steady, closed-loop load through the gateway: readers (GetTeam, and
// ListTeams streams now and then) and writers (PutTeam of a new city each time, with a
// token), each call recorded with when it started and ended, so failures can be matched
// against the moment a replica was killed.
import http from "node:http";
import { ListTeamsRequest, PutTeamRequest, TeamRequest, TeamResponse } from "@teams/web/gen";
import { type CallOutcome, callGrpcWeb } from "../soak/grpc-web-client.ts";

export type ScaleCallKind = "GetTeam" | "ListTeams" | "PutTeam";

export interface ScaleCall {
  readonly kind: ScaleCallKind;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly outcome: CallOutcome;
  /** For a PutTeam: the city it wrote (a new one each time). */
  readonly city?: string;
  /** For a PutTeam answered OK: what the server says it stored. */
  readonly stored?: { city: string; nickname: string; version: number };
}

export interface MixedLoad {
  readonly calls: ScaleCall[];
  /** Stops starting calls; resolves once the calls in flight have ended. */
  stop(): Promise<void>;
}

export const writtenPrefix = "Scale ";
const cities = ["Chicago", "Detroit", "Boston", "Seattle", "Gotham"];

/** `readers` and `writers` loops, each one call at a time, until stopped. */
export function startMixedLoad(
  port: number,
  token: string,
  options: { readers: number; writers: number },
): MixedLoad {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const calls: ScaleCall[] = [];
  let running = true;
  let written = 0;
  const call = async (
    kind: ScaleCallKind,
    message: Uint8Array,
    headers: Record<string, string> = {},
  ): Promise<ScaleCall> => {
    const startedAt = performance.now();
    const text = calls.length % 2 === 0;
    const outcome = await callGrpcWeb(agent, port, `/Teams/${kind}`, message, { text, headers });
    return { kind, startedAt, endedAt: performance.now(), outcome };
  };
  const reader = async (index: number): Promise<void> => {
    for (let n = 0; running; n += 1) {
      const list = n % 10 === 9;
      const done = list
        ? await call("ListTeams", new ListTeamsRequest({ prefix: "" }).serialize())
        : await call(
            "GetTeam",
            new TeamRequest({ city: cities[(n + index) % cities.length] }).serialize(),
          );
      calls.push(done);
    }
  };
  const writer = async (): Promise<void> => {
    while (running) {
      written += 1;
      const city = `${writtenPrefix}${String(written).padStart(6, "0")}`;
      const nickname = `Writers ${written}`;
      const request = new PutTeamRequest({ city, nickname }).serialize();
      const done = await call("PutTeam", request, { authorization: `Bearer ${token}` });
      const answer = done.outcome.status === 0 ? done.outcome.firstMessage : undefined;
      const team = answer ? TeamResponse.deserialize(answer) : undefined;
      calls.push(
        team
          ? { ...done, city, stored: { city: team.city, nickname, version: team.version } }
          : { ...done, city },
      );
    }
  };
  const loops = [
    ...Array.from({ length: options.readers }, (_, index) => reader(index)),
    ...Array.from({ length: options.writers }, () => writer()),
  ];
  return {
    calls,
    async stop() {
      running = false;
      await Promise.all(loops);
      agent.destroy();
    },
  };
}
