import { ListTeamsRequest, TeamRequest, type TeamResponse, TeamsClient } from "../gen/teams.ts";
import { deadlineMetadata } from "./deadline.ts";
import { streamIterable } from "./stream-iterable.ts";
import type { CallOptions, ListTeamsQuery, Team, TeamsApi } from "./teams-api.ts";
import { TeamsError } from "./teams-error.ts";

export interface GrpcWebTeamsApiOptions {
  /** Deadline of each GetTeam call. */
  unaryTimeoutMs?: number;
  /** Deadline of each ListTeams stream, from its start to its last message. */
  streamTimeoutMs?: number;
}

/**
 * The TeamsApi over the generated grpc-web client. `grpc-web-text` because the official
 * runtime streams server responses as they arrive only in text mode; in binary mode
 * (`grpc-web+proto`) it waits for the whole response.
 */
export function createGrpcWebTeamsApi(
  baseUrl: string,
  { unaryTimeoutMs = 5_000, streamTimeoutMs = 15_000 }: GrpcWebTeamsApiOptions = {},
): TeamsApi {
  const client = new TeamsClient(baseUrl, undefined, { format: "text" });
  return {
    getTeam(city: string, { signal }: CallOptions = {}): Promise<Team> {
      return new Promise((resolve, reject) => {
        if (signal?.aborted) return reject(TeamsError.cancelled());
        const onAbort = (): void => {
          call.cancel();
          reject(TeamsError.cancelled());
        };
        const request = new TeamRequest({ city });
        const call = client.GetTeam(
          request,
          deadlineMetadata(unaryTimeoutMs),
          (error, response) => {
            signal?.removeEventListener("abort", onAbort);
            if (error) reject(TeamsError.from(error));
            else resolve(toTeam(response));
          },
        );
        signal?.addEventListener("abort", onAbort, { once: true });
      });
    },
    listTeams({ prefix, limit = 0 }: ListTeamsQuery, { signal }: CallOptions = {}) {
      const open = () =>
        client.ListTeams(
          new ListTeamsRequest({ prefix, limit }),
          deadlineMetadata(streamTimeoutMs),
        );
      return mapIterable(streamIterable(open, signal), toTeam);
    },
  };
}

function toTeam(response: TeamResponse): Team {
  return { city: response.city, nickname: response.nickname, found: response.found };
}

async function* mapIterable<A, B>(source: AsyncIterable<A>, map: (a: A) => B): AsyncGenerator<B> {
  for await (const item of source) yield map(item);
}
