// A read cache in front of a TeamStore: GetTeam answers from memory, kept fresh by the
// change sequence. Writes through this store evict their keys when they commit; writes
// by other replicas are found by following the change log every `refreshMs`.
import { cityKey } from "../team-record.ts";
import type {
  ImportBatchResult,
  PutOutcome,
  StoredTeam,
  TeamChange,
  TeamPage,
  TeamStore,
  TeamWrite,
} from "./team-store.ts";

export type ReadCacheOptions = {
  /** Lookups remembered (found or not); the oldest is dropped beyond it. Default 10000. */
  maxEntries?: number;
  /** How often the change log is followed for other replicas' writes. Default 100. */
  refreshMs?: number;
};

/** A store that can trim its history (both SQL stores can). */
type TrimmableStore = TeamStore & Required<Pick<TeamStore, "trimHistory">>;

export class CachedTeamStore implements TeamStore {
  readonly #inner: TrimmableStore;
  readonly #maxEntries: number;
  /** null: known to have no team. */
  readonly #entries = new Map<string, StoredTeam | null>();
  /** Counts evictions: a lookup remembers it at its start. */
  #evictions = 0;
  /**
   * While lookups are in flight: when each key last changed (eviction count) and the version
   * of that change (Infinity when unknown), so a lookup that raced a change of its key does
   * not store what it read, unless what it read is that change or newer.
   */
  readonly #changedAt = new Map<string, { at: number; version: number }>();
  /** The eviction count of the last clear (every key changed). */
  #clearedAt = 0;
  #lookups = 0;
  /** The newest change already applied to the cache. */
  #seen: number;
  #following = false;
  readonly #timer: NodeJS.Timeout;

  /** Starts following the change log from the store's current version. */
  static async over(
    inner: TrimmableStore,
    options: ReadCacheOptions = {},
  ): Promise<CachedTeamStore> {
    return new CachedTeamStore(inner, await inner.currentVersion(), options);
  }

  private constructor(inner: TrimmableStore, seen: number, options: ReadCacheOptions) {
    this.#inner = inner;
    this.#seen = seen;
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#timer = setInterval(() => void this.#follow(), options.refreshMs ?? 100);
    this.#timer.unref();
  }

  get kind(): string {
    return this.#inner.kind;
  }

  async get(city: string): Promise<StoredTeam | undefined> {
    const key = cityKey(city);
    const cached = this.#entries.get(key);
    if (cached !== undefined) return cached ?? undefined;
    const started = this.#evictions;
    this.#lookups++;
    let team: StoredTeam | undefined;
    try {
      team = await this.#inner.get(city);
    } finally {
      this.#lookups--;
    }
    const changed = this.#changedAt.get(key);
    const raced =
      this.#clearedAt > started ||
      (changed !== undefined &&
        changed.at > started &&
        !((team?.version ?? -1) >= changed.version));
    if (this.#lookups === 0) this.#changedAt.clear();
    if (!raced) {
      if (this.#entries.size >= this.#maxEntries)
        this.#entries.delete(this.#entries.keys().next().value as string);
      this.#entries.set(key, team ?? null);
    }
    return team;
  }

  list(prefix: string, limit: number): AsyncIterable<StoredTeam> {
    return this.#inner.list(prefix, limit);
  }

  listPage(prefix: string, after: string | undefined, size: number): Promise<TeamPage> {
    return this.#inner.listPage(prefix, after, size);
  }

  put(write: TeamWrite): Promise<{ team: StoredTeam; outcome: PutOutcome }> {
    return this.#evictingAfter([write.city], () => this.#inner.put(write));
  }

  delete(city: string, ifVersion?: number): Promise<{ city: string; version: number }> {
    return this.#evictingAfter([city], () => this.#inner.delete(city, ifVersion));
  }

  importBatch(rows: readonly TeamWrite[]): Promise<ImportBatchResult> {
    return this.#evictingAfter(
      rows.map((row) => row.city),
      () => this.#inner.importBatch(rows),
    );
  }

  currentVersion(): Promise<number> {
    return this.#inner.currentVersion();
  }

  changesSince(version: number, limit: number): Promise<TeamChange[]> {
    return this.#inner.changesSince(version, limit);
  }

  trimHistory(keepNewest: number): Promise<number> {
    return this.#inner.trimHistory(keepNewest);
  }

  ping(): Promise<void> {
    return this.#inner.ping();
  }

  close(): Promise<void> {
    clearInterval(this.#timer);
    this.#entries.clear();
    return this.#inner.close();
  }

  async #evictingAfter<T>(cities: readonly string[], write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } finally {
      this.#evict(cities.map(cityKey));
    }
  }

  /**
   * Forgets `keys`, and marks the `changed` keys (default: the same, at an unknown version)
   * for lookups in flight.
   */
  #evict(
    keys: Iterable<string>,
    changed: Iterable<[string, number]> = [...keys].map((key) => [key, Infinity]),
  ): void {
    const at = ++this.#evictions;
    const marked = this.#lookups > 0 ? [...changed] : [];
    for (const key of keys) this.#entries.delete(key);
    for (const [key, version] of marked) {
      const before = this.#changedAt.get(key)?.version ?? 0;
      this.#changedAt.set(key, { at, version: Math.max(before, version) });
    }
  }

  #clear(): void {
    this.#clearedAt = ++this.#evictions;
    this.#entries.clear();
  }

  /**
   * Whether the cached answer for `key` predates `change`. A team's version is the version of
   * the change that wrote it, so a cached team at or past the change's version already shows
   * it (this replica's own writes, say, re-read after their eviction): it stays cached.
   */
  #outdated(key: string, change: TeamChange | undefined): boolean {
    const cached = this.#entries.get(key);
    if (cached === undefined) return false;
    return cached === null || !change || cached.version < change.version;
  }

  /** Applies the changes since the last look; forgets everything if it cannot tell. */
  async #follow(): Promise<void> {
    if (this.#following) return;
    this.#following = true;
    try {
      const version = await this.#inner.currentVersion();
      if (version === this.#seen) return;
      if (version - this.#seen > this.#maxEntries) {
        this.#clear();
      } else {
        const changes = await this.#inner.changesSince(this.#seen, version - this.#seen);
        const keys = changes.map(changedKey);
        this.#evict(
          keys.filter((key, i) => this.#outdated(key, changes[i])),
          keys.map((key, i) => [key, changes[i]?.version ?? Infinity]),
        );
      }
      this.#seen = version;
    } catch {
      // Unreachable database or trimmed history: serve nothing from memory until it answers again.
      this.#clear();
      this.#seen = await this.#inner.currentVersion().catch(() => this.#seen);
    } finally {
      this.#following = false;
    }
  }
}

function changedKey(change: TeamChange): string {
  return cityKey(change.kind === "put" ? change.team.city : change.city);
}
