// A TEST DOUBLE of the TeamStore boundary: everything in memory, with knobs the
// tests need (trim the change log, fail like a database that is down, hold an
// import batch). No onChange: the feed learns of writes from the handlers,
// which the watch tests rely on. Never shipped: the server's stores are SQLite and PostgreSQL.
import {
  type ImportBatchResult,
  type PutOutcome,
  type StoredTeam,
  StoreError,
  type TeamChange,
  type TeamPage,
  type TeamStore,
  type TeamWrite,
} from "../../src/store/team-store.ts";
import { cityKey } from "../../src/team-record.ts";

export class MemoryTeamStore implements TeamStore {
  readonly kind = "memory-test-double";
  readonly #teams = new Map<string, StoredTeam>();
  readonly #log: TeamChange[] = [];
  #version = 0;
  /** Changes at or below this version are gone (history-trimmed). */
  #trimmedThrough = 0;
  /** When set, every call fails with StoreError unavailable. */
  down = false;
  /** Awaited by list() once it has yielded its first team (tests write mid-listing with it). */
  afterFirstListed: (() => Promise<void>) | undefined;
  /** The size of every batch committed, in order. */
  readonly batchSizes: number[] = [];
  /** Awaited inside importBatch before it commits (tests hold a batch with it). */
  beforeBatchCommit: (() => Promise<void>) | undefined;

  constructor(teams: ReadonlyArray<{ city: string; nickname: string }> = []) {
    for (const team of teams) this.#apply({ city: team.city, nickname: team.nickname });
  }

  async get(city: string): Promise<StoredTeam | undefined> {
    this.#check();
    return this.#teams.get(cityKey(city));
  }

  async *list(prefix: string, limit: number): AsyncIterable<StoredTeam> {
    this.#check();
    const key = cityKey(prefix);
    const keys = [...this.#teams.keys()].filter((k) => k.startsWith(key)).sort();
    let sent = 0;
    // Like a keyset scan: each team is read when reached, so writes made meanwhile show.
    for (const k of keys) {
      const team = this.#teams.get(k);
      if (!team) continue;
      yield team;
      if (++sent === 1) await this.afterFirstListed?.();
      if (sent === limit) return;
    }
  }

  async listPage(prefix: string, after: string | undefined, size: number): Promise<TeamPage> {
    this.#check();
    const low = cityKey(prefix);
    const keys = [...this.#teams.keys()]
      .filter((k) => k.startsWith(low) && (after === undefined || k > after))
      .sort()
      .slice(0, size);
    const teams = keys.map((k) => this.#teams.get(k) as StoredTeam);
    return { teams, after: keys.length === size ? keys[size - 1] : undefined };
  }

  async put(write: TeamWrite): Promise<{ team: StoredTeam; outcome: PutOutcome }> {
    this.#check();
    this.#checkVersion(write.city, write.ifVersion);
    const result = this.#apply(write);
    return result;
  }

  async delete(city: string, ifVersion?: number): Promise<{ city: string; version: number }> {
    this.#check();
    const existing = this.#teams.get(cityKey(city));
    if (!existing) throw new StoreError("not-found", `no team in ${city}`);
    this.#checkVersion(city, ifVersion);
    this.#teams.delete(cityKey(city));
    const version = ++this.#version;
    this.#log.push({ version, kind: "delete", city: existing.city });
    return { city: existing.city, version };
  }

  async importBatch(rows: readonly TeamWrite[]): Promise<ImportBatchResult> {
    this.#check();
    await this.beforeBatchCommit?.();
    const result: ImportBatchResult = {
      created: 0,
      updated: 0,
      unchanged: 0,
      conflicts: [],
      version: 0,
    };
    rows.forEach((row, index) => {
      const current = this.#teams.get(cityKey(row.city))?.version ?? 0;
      const conflict = row.ifVersion !== undefined && row.ifVersion !== current;
      if (conflict) result.conflicts.push({ index, currentVersion: current });
      else result[this.#apply(row).outcome]++;
    });
    result.version = this.#version;
    this.batchSizes.push(rows.length);
    return result;
  }

  async currentVersion(): Promise<number> {
    this.#check();
    return this.#version;
  }

  async changesSince(version: number, limit: number): Promise<TeamChange[]> {
    this.#check();
    if (version < this.#trimmedThrough) {
      throw new StoreError("history-trimmed", `changes after ${version} are no longer kept`);
    }
    return this.#log.filter((change) => change.version > version).slice(0, limit);
  }

  async ping(): Promise<void> {
    this.#check();
  }

  async close(): Promise<void> {}

  /** Drops the change log through `version`, as a store's retention would. */
  trimThrough(version: number): void {
    this.#trimmedThrough = version;
  }

  /** Every team, for assertions. */
  snapshot(): StoredTeam[] {
    return [...this.#teams.values()];
  }

  #apply(write: { city: string; nickname: string }): { team: StoredTeam; outcome: PutOutcome } {
    const key = cityKey(write.city);
    const existing = this.#teams.get(key);
    if (existing?.nickname === write.nickname) return { team: existing, outcome: "unchanged" };
    const version = ++this.#version;
    const team = { city: existing?.city ?? write.city.trim(), nickname: write.nickname, version };
    this.#teams.set(key, team);
    this.#log.push({ version, kind: "put", team });
    return { team, outcome: existing ? "updated" : "created" };
  }

  #checkVersion(city: string, ifVersion: number | undefined): void {
    if (ifVersion === undefined) return;
    const current = this.#teams.get(cityKey(city))?.version ?? 0;
    if (ifVersion === 0 && current !== 0) {
      throw new StoreError("already-exists", `${city} has a team`, current);
    }
    if (ifVersion !== current) {
      throw new StoreError("version-mismatch", `${city} is at ${current}`, current);
    }
  }

  #check(): void {
    if (this.down) throw new StoreError("unavailable", "the test database is unavailable");
  }
}
