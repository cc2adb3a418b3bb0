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
}

export interface Team {
  city: string;
  nickname: string;
  found: boolean;
}

export interface ListTeamsQuery {
  /** Case-insensitive city prefix; empty lists every team. */
  prefix: string;
  /** The most teams to stream; 0 or absent means no limit. */
  limit?: number;
}

export interface CallOptions {
  /** Aborting cancels the call; it then fails with CANCELLED. */
  signal?: AbortSignal;
}

/** The two RPCs of `service Teams`, as the call panel names them. */
export type TeamsMethod = "GetTeam" | "ListTeams";
