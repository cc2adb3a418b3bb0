import type {
  CallOptions,
  DeletedTeam,
  DeleteTeamInput,
  ListTeamsQuery,
  PutTeamInput,
  Team,
  TeamEvent,
  TeamsApi,
  WatchQuery,
  WriteOptions,
} from "../teams-api/teams-api.ts";
import { StatusCode, TeamsError } from "../teams-api/teams-error.ts";
import { ManualStream } from "./manual-stream.ts";

export { ManualStream };

export const sampleTeams: readonly Team[] = [
  { city: "Charlotte", nickname: "Hornets", found: true, version: 1 },
  { city: "Chicago", nickname: "Jackals", found: true, version: 2 },
  { city: "Miami", nickname: "Heat", found: true, version: 3 },
  { city: "Philadelphia", nickname: "Eagles", found: true, version: 4 },
];

/** The one token the fake accepts for writes. */
export const goodToken = "good-token";

/**
 * A TeamsApi for component tests, faked at the wrapper boundary: a small directory with
 * versions, as the server keeps it. By default it answers at once and its watches send a
 * snapshot, then every write made through it (or `changeElsewhere`); tests can queue
 * failures, hold GetTeam answers, or drive ListTeams and WatchTeams streams by hand.
 */
export class FakeTeamsApi implements TeamsApi {
  readonly lookups: string[] = [];
  readonly streams: ManualStream<Team, ListTeamsQuery>[] = [];
  readonly watches: ManualStream<TeamEvent, WatchQuery>[] = [];
  /** Each write as asked: method, input and the token it carried. */
  readonly writes: Array<{ method: string; input: PutTeamInput | DeleteTeamInput; token: string }> =
    [];
  /** When true, listTeams hands each call to the test as a ManualStream. */
  manualStreams = false;
  /** When true, watches send nothing by themselves: the test pushes every event. */
  manualWatches = false;
  private readonly failures: TeamsError[] = [];
  private readonly writeFailures: TeamsError[] = [];
  private held: Array<() => void> | null = null;
  private readonly directory = new Map<string, Team>();
  private version = 0;

  constructor(teams: readonly Team[] = sampleTeams) {
    for (const team of teams) this.store(team);
  }

  /** The next GetTeam calls fail with these errors, in order. */
  failGetTeam(...errors: TeamsError[]): void {
    this.failures.push(...errors);
  }

  /** The next PutTeam or DeleteTeam calls fail with these errors, in order. */
  failWrite(...errors: TeamsError[]): void {
    this.writeFailures.push(...errors);
  }

  /** GetTeam answers wait until the returned function is called. */
  holdGetTeam(): () => void {
    this.held = [];
    return () => {
      const waiting = this.held ?? [];
      this.held = null;
      for (const release of waiting) release();
    };
  }

  /** Someone else's write: the directory changes and open watches hear of it. */
  changeElsewhere(change: { city: string; nickname?: string }): Team | DeletedTeam {
    const version = ++this.version;
    if (change.nickname === undefined) {
      this.directory.delete(change.city.toLowerCase());
      this.broadcast({ type: "deleted", version, city: change.city });
      return { city: change.city, version };
    }
    const team = { city: change.city, nickname: change.nickname, found: true, version };
    this.store(team);
    this.broadcast({ type: "put", version, team });
    return team;
  }

  current(city: string): Team | undefined {
    return this.directory.get(city.trim().toLowerCase());
  }

  async getTeam(city: string, _options?: CallOptions): Promise<Team> {
    this.lookups.push(city);
    const held = this.held;
    if (held) await new Promise<void>((release) => held.push(release));
    const failure = this.failures.shift();
    if (failure) throw failure;
    const team = this.current(city);
    return team ?? { city: city.trim(), nickname: "not a member", found: false, version: 0 };
  }

  listTeams(query: ListTeamsQuery, options?: CallOptions): AsyncIterable<Team> {
    if (this.manualStreams) {
      const stream = new ManualStream<Team, ListTeamsQuery>(query, options?.signal);
      this.streams.push(stream);
      return stream.messages();
    }
    const matches = this.matching(query.prefix);
    return fromArray(query.limit ? matches.slice(0, query.limit) : matches);
  }

  watchTeams(query: WatchQuery, options?: CallOptions): AsyncIterable<TeamEvent> {
    const stream = new ManualStream<TeamEvent, WatchQuery>(query, options?.signal);
    this.watches.push(stream);
    if (!this.manualWatches && query.sinceVersion === 0) {
      for (const team of this.matching(query.prefix)) {
        stream.push({ type: "put", version: team.version, team });
      }
      stream.push({ type: "snapshotComplete", version: this.version });
    }
    return stream.messages();
  }

  async putTeam(input: PutTeamInput, { token }: WriteOptions): Promise<Team> {
    this.writes.push({ method: "PutTeam", input, token });
    const existing = this.checkWrite(input, token);
    const violations = (["city", "nickname"] as const)
      .filter((field) => input[field].trim() === "")
      .map((field) => ({ field, description: "must be 1 to 128 characters, got 0" }));
    if (violations.length > 0) {
      throw new TeamsError(StatusCode.INVALID_ARGUMENT, "invalid team", violations);
    }
    if (existing && input.ifVersion === 0) {
      throw new TeamsError(StatusCode.ALREADY_EXISTS, `${existing.city} already has a team`);
    }
    return this.changeElsewhere({
      city: existing?.city ?? input.city.trim(),
      nickname: input.nickname.trim(),
    }) as Team;
  }

  async deleteTeam(input: DeleteTeamInput, { token }: WriteOptions): Promise<DeletedTeam> {
    this.writes.push({ method: "DeleteTeam", input, token });
    const existing = this.checkWrite(input, token);
    if (!existing) throw new TeamsError(StatusCode.NOT_FOUND, `${input.city} has no team`);
    return this.changeElsewhere({ city: existing.city });
  }

  /** The token, queued failures and `ifVersion` rules PutTeam and DeleteTeam share. */
  private checkWrite(input: DeleteTeamInput, token: string): Team | undefined {
    const failure = this.writeFailures.shift();
    if (failure) throw failure;
    if (token !== goodToken) {
      throw new TeamsError(StatusCode.UNAUTHENTICATED, "the token is expired or invalid");
    }
    const existing = this.current(input.city);
    if (input.ifVersion && existing?.version !== input.ifVersion) {
      throw new TeamsError(StatusCode.ABORTED, "the team changed", [], {
        reason: "VERSION_MISMATCH",
        metadata: { current_version: String(existing?.version ?? 0) },
      });
    }
    return existing;
  }

  private matching(prefix: string): Team[] {
    const wanted = prefix.trim().toLowerCase();
    return [...this.directory.values()]
      .filter((t) => t.city.toLowerCase().startsWith(wanted))
      .sort((a, b) => a.city.localeCompare(b.city));
  }

  private store(team: Team): void {
    this.directory.set(team.city.toLowerCase(), team);
    this.version = Math.max(this.version, team.version);
  }

  private broadcast(event: TeamEvent): void {
    if (this.manualWatches) return;
    for (const watch of this.watches) {
      if (!watch.closed && !watch.signal?.aborted) watch.push(event);
    }
  }
}

async function* fromArray(teams: readonly Team[]): AsyncGenerator<Team> {
  for (const team of teams) yield team;
}
