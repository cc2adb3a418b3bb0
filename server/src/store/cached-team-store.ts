// A read cache in front of a TeamStore: GetTeam answers from memory, kept fresh by the
// change sequence. Writes through this store evict their keys when they commit; writes
// by other replicas are found by following the change log every `refreshMs`.
import { cityKey } from "../team-record.ts";
import type {
  ImportBatchResult,
  PutOutcome,
  StoredTeam,
  TeamChange,
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
  /** Bumped by every eviction: a lookup that raced one does not store what it read. */
  #epoch = 0;
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
    const epoch = this.#epoch;
    const team = await this.#inner.get(city);
    if (epoch === this.#epoch) {
      if (this.#entries.size >= this.#maxEntries)
        this.#entries.delete(this.#entries.keys().next().value as string);
      this.#entries.set(key, team ?? null);
    }
    return team;
  }

  list(prefix: string, limit: number): AsyncIterable<StoredTeam> {
    return this.#inner.list(prefix, limit);
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

  #evict(keys: Iterable<string>): void {
    this.#epoch++;
    for (const key of keys) this.#entries.delete(key);
  }

  #clear(): void {
    this.#epoch++;
    this.#entries.clear();
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
        this.#evict(
          changes.map((change) => cityKey(change.kind === "put" ? change.team.city : change.city)),
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
