import type { CallOptions, ListTeamsQuery, Team, TeamsApi } from "../teams-api/teams-api.ts";
import { TeamsError } from "../teams-api/teams-error.ts";

export const sampleTeams: readonly Team[] = [
  { city: "Charlotte", nickname: "Hornets", found: true },
  { city: "Chicago", nickname: "Jackals", found: true },
  { city: "Miami", nickname: "Heat", found: true },
  { city: "Philadelphia", nickname: "Eagles", found: true },
];

/** A ListTeams stream the test drives by hand: push messages, then end or fail it. */
export class ManualStream {
  private readonly queue: Array<IteratorResult<Team> | TeamsError> = [];
  private wake: (() => void) | null = null;

  constructor(
    readonly query: ListTeamsQuery,
    readonly signal: AbortSignal | undefined,
  ) {
    signal?.addEventListener("abort", () => this.fail(TeamsError.cancelled()));
  }

  push(team: Team): void {
    this.enqueue({ done: false, value: team });
  }
  end(): void {
    this.enqueue({ done: true, value: undefined });
  }
  fail(error: TeamsError): void {
    this.enqueue(error);
  }

  async *messages(): AsyncGenerator<Team> {
    for (;;) {
      while (this.queue.length === 0) await new Promise<void>((wake) => (this.wake = wake));
      const next = this.queue.shift();
      if (next instanceof TeamsError) throw next;
      if (!next || next.done) return;
      yield next.value;
    }
  }

  private enqueue(item: IteratorResult<Team> | TeamsError): void {
    this.queue.push(item);
    this.wake?.();
    this.wake = null;
  }
}

/**
 * A TeamsApi for component tests, faked at the wrapper boundary. By default it answers
 * from sampleTeams at once; tests can queue GetTeam failures, hold GetTeam answers, or
 * switch ListTeams to manual streams.
 */
export class FakeTeamsApi implements TeamsApi {
  readonly lookups: string[] = [];
  readonly streams: ManualStream[] = [];
  /** When true, listTeams hands each call to the test as a ManualStream. */
  manualStreams = false;
  private readonly failures: TeamsError[] = [];
  private held: Array<() => void> | null = null;

  constructor(private readonly teams: readonly Team[] = sampleTeams) {}

  /** The next GetTeam calls fail with these errors, in order. */
  failGetTeam(...errors: TeamsError[]): void {
    this.failures.push(...errors);
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

  async getTeam(city: string, _options?: CallOptions): Promise<Team> {
    this.lookups.push(city);
    const held = this.held;
    if (held) await new Promise<void>((release) => held.push(release));
    const failure = this.failures.shift();
    if (failure) throw failure;
    const wanted = city.trim().toLowerCase();
    const team = this.teams.find((t) => t.city.toLowerCase() === wanted);
    return team ?? { city: city.trim(), nickname: "not a member", found: false };
  }

  listTeams(query: ListTeamsQuery, options?: CallOptions): AsyncIterable<Team> {
    if (this.manualStreams) {
      const stream = new ManualStream(query, options?.signal);
      this.streams.push(stream);
      return stream.messages();
    }
    const prefix = query.prefix.trim().toLowerCase();
    const matches = this.teams.filter((t) => t.city.toLowerCase().startsWith(prefix));
    return fromArray(query.limit ? matches.slice(0, query.limit) : matches);
  }
}

async function* fromArray(teams: readonly Team[]): AsyncGenerator<Team> {
  for (const team of teams) yield team;
}
