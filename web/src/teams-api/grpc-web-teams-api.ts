import {
  DeleteTeamRequest,
  type DeleteTeamResponse,
  ListTeamsRequest,
  PutTeamRequest,
  type TeamEvent as TeamEventMessage,
  TeamRequest,
  type TeamResponse,
  TeamsClient,
  WatchTeamsRequest,
} from "../gen/teams.ts";
import { callMetadata } from "./call-metadata.ts";
import { withErrorDetails } from "./error-details.ts";
import { streamIterable } from "./stream-iterable.ts";
import type { CallOptions, Team, TeamEvent, TeamsApi } from "./teams-api.ts";
import { unaryCall as plainUnaryCall } from "./unary-call.ts";

export interface GrpcWebTeamsApiOptions {
  /** Deadline of each GetTeam, PutTeam and DeleteTeam call. */
  unaryTimeoutMs?: number;
  /** Deadline of each ListTeams stream, from its start to its last message. */
  streamTimeoutMs?: number;
  /** Deadline of each WatchTeams stream; past it the watcher resumes with a new one. */
  watchTimeoutMs?: number;
}

/**
 * The TeamsApi over the generated grpc-web client. `grpc-web-text` because the official
 * runtime streams server responses as they arrive only in text mode; in binary mode
 * (`grpc-web+proto`) it waits for the whole response.
 */
export function createGrpcWebTeamsApi(
  baseUrl: string,
  {
    unaryTimeoutMs = 5_000,
    streamTimeoutMs = 15_000,
    watchTimeoutMs = 30 * 60_000,
  }: GrpcWebTeamsApiOptions = {},
): TeamsApi {
  const client = new TeamsClient(baseUrl, undefined, { format: "text" });
  return {
    async getTeam(city, { signal }: CallOptions = {}) {
      const request = new TeamRequest({ city });
      const metadata = callMetadata(unaryTimeoutMs);
      return toTeam(await unaryCall((done) => client.GetTeam(request, metadata, done), signal));
    },
    listTeams({ prefix, limit = 0 }, { signal }: CallOptions = {}) {
      const open = () =>
        client.ListTeams(new ListTeamsRequest({ prefix, limit }), callMetadata(streamTimeoutMs));
      return mapIterable(streamIterable(open, signal), toTeam);
    },
    watchTeams({ prefix, sinceVersion }, { signal }: CallOptions = {}) {
      const request = new WatchTeamsRequest({ prefix, since_version: sinceVersion });
      const open = () => client.WatchTeams(request, callMetadata(watchTimeoutMs));
      return mapIterable(streamIterable(open, signal), toTeamEvent);
    },
    async putTeam({ city, nickname, ifVersion }, { signal, token }) {
      const request = new PutTeamRequest({ city, nickname, if_version: ifVersion });
      const metadata = callMetadata(unaryTimeoutMs, token);
      return toTeam(await unaryCall((done) => client.PutTeam(request, metadata, done), signal));
    },
    async deleteTeam({ city, ifVersion }, { signal, token }) {
      const request = new DeleteTeamRequest({ city, if_version: ifVersion });
      const metadata = callMetadata(unaryTimeoutMs, token);
      const deleted = await unaryCall<DeleteTeamResponse>(
        (done) => client.DeleteTeam(request, metadata, done),
        signal,
      );
      return { city: deleted.city, version: deleted.version };
    },
  };
}

function toTeam(response: TeamResponse): Team {
  const { city, nickname, found, version } = response;
  return { city, nickname, found, version };
}

function toTeamEvent(event: TeamEventMessage): TeamEvent {
  const { version } = event;
  switch (event.event) {
    case "put":
      return { type: "put", version, team: toTeam(event.put) };
    case "deleted":
      return { type: "deleted", version, city: event.deleted.city };
    case "snapshot_complete":
      return { type: "snapshotComplete", version };
    default:
      // A heartbeat, or an event kind newer than this page: either way, the stream is alive.
      return { type: "heartbeat", version };
  }
}

// Both call shapes fail with the rich details (BadRequest, ErrorInfo) decoded.
const unaryCall: typeof plainUnaryCall = (start, signal) =>
  plainUnaryCall(start, signal).catch(async (error: unknown) => {
    throw await withErrorDetails(error);
  });

async function* mapIterable<A, B>(source: AsyncIterable<A>, map: (a: A) => B): AsyncGenerator<B> {
  try {
    for await (const item of source) yield map(item);
  } catch (error) {
    throw await withErrorDetails(error);
  }
}
