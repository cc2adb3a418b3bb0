/**
 * The page's view of the Teams service: promises and async iterables, cancelled with an
 * AbortSignal, failing with TeamsError. Components depend on this interface only, so tests
 * hand them a fake and never see grpc-web callbacks or stream events.
 */
export interface TeamsApi {
  /** Resolves with the city's team, or `found: false` and "not a member" for an unknown city. */
  getTeam(city: string, options?: CallOptions): Promise<Team>;
  /** Yields each team whose city starts with `prefix` as it arrives, in city order. */
  listTeams(query: ListTeamsQuery, options?: CallOptions): AsyncIterable<Team>;
  /**
   * WatchTeams: from `sinceVersion` 0, a snapshot (`put` events, then `snapshotComplete`),
   * then every change as it happens; from N, only the changes after version N.
   */
  watchTeams(query: WatchQuery, options?: CallOptions): AsyncIterable<TeamEvent>;
  /** Creates a team or changes its nickname; resolves with the team as stored. */
  putTeam(input: PutTeamInput, options: WriteOptions): Promise<Team>;
  /** Deletes a city's team; resolves with its canonical city and the change version. */
  deleteTeam(input: DeleteTeamInput, options: WriteOptions): Promise<DeletedTeam>;
}

export interface Team {
  city: string;
  nickname: string;
  found: boolean;
  /** The change version of the write that last changed the team (0 when not found). */
  version: number;
}

export interface ListTeamsQuery {
  /** Case-insensitive city prefix; empty lists every team. */
  prefix: string;
  /** The most teams to stream; 0 or absent means no limit. */
  limit?: number;
}

export interface WatchQuery {
  prefix: string;
  /** 0: snapshot, then changes. N: the changes after version N only. */
  sinceVersion: number;
}

/** One event of a watch, with the directory's change version it brings the watcher to. */
export type TeamEvent =
  | { type: "put"; version: number; team: Team }
  | { type: "deleted"; version: number; city: string }
  | { type: "snapshotComplete"; version: number }
  | { type: "heartbeat"; version: number };

export interface PutTeamInput {
  city: string;
  nickname: string;
  /** Absent: unconditional. 0: only if the city has no team. N: only if still at version N. */
  ifVersion?: number;
}

export interface DeleteTeamInput {
  city: string;
  /** Absent: unconditional. N: only if the team is still at version N. */
  ifVersion?: number;
}

export interface DeletedTeam {
  city: string;
  version: number;
}

export interface CallOptions {
  /** Aborting cancels the call; it then fails with CANCELLED. */
  signal?: AbortSignal;
}

export interface WriteOptions extends CallOptions {
  /** The signed-in person's token, sent as `authorization: Bearer <token>`. */
  token: string;
}

/** The RPCs of `service Teams` the page calls, as the call panel names them. */
export type TeamsMethod = "GetTeam" | "ListTeams" | "WatchTeams" | "PutTeam" | "DeleteTeam";
