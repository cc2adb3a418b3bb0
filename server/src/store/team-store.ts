// The storage boundary of the server: every handler reads and writes teams
// through a TeamStore, never through a driver. Two implementations stand behind
// it (SQLite embedded by default, PostgreSQL when DATABASE_URL is set), and one
// conformance suite (test/store/) holds both to this contract.

/** One team as stored. `version` is the change version of the write that last changed it. */
export type StoredTeam = { city: string; nickname: string; version: number };

/** A write's input: city and nickname already validated (trimmed, 1 to 128 characters). */
export type TeamWrite = {
  city: string;
  nickname: string;
  /** Unset: unconditional. 0: only if the city has no team. N: only if still at version N. */
  ifVersion?: number;
};

/**
 * One page of a listing, read with one query: its teams in city order, and the key the next
 * page starts after (undefined when no team follows; set on a full page, whose next may be empty).
 */
export type TeamPage = { teams: StoredTeam[]; after?: string };

/** Teams a listing reads per query: one page in memory at a time. */
export const listPageSize = 500;

export type PutOutcome = "created" | "updated" | "unchanged";

/** One entry of the change log, in version order. */
export type TeamChange =
  | { version: number; kind: "put"; team: StoredTeam }
  | { version: number; kind: "delete"; city: string };

/** What a batch of an import did; rejected rows carry their index within the batch. */
export type ImportBatchResult = {
  created: number;
  updated: number;
  unchanged: number;
  /** Rows refused by their `ifVersion` (already validated otherwise). */
  conflicts: Array<{ index: number; currentVersion: number }>;
  /** The directory's version after the batch. */
  version: number;
};

/** Why a store call failed, in terms a handler maps to a gRPC status. */
export type StoreErrorKind =
  /** DeleteTeam of a city with no team: NOT_FOUND. */
  | "not-found"
  /** ifVersion 0 but the city has a team: ALREADY_EXISTS. */
  | "already-exists"
  /** ifVersion N but the team is at another version (or gone): ABORTED. */
  | "version-mismatch"
  /** The change history asked for is trimmed: FAILED_PRECONDITION. */
  | "history-trimmed"
  /** The database is down or unreachable: UNAVAILABLE. The message names the database, never its credentials. */
  | "unavailable";

export class StoreError extends Error {
  override readonly name = "StoreError";
  constructor(
    readonly kind: StoreErrorKind,
    message: string,
    /** For version-mismatch: the team's current version (0 when it has none). */
    readonly currentVersion?: number,
  ) {
    super(message);
  }
}

export interface TeamStore {
  /** "sqlite" or "postgres", for logs and health. */
  readonly kind: string;
  /** The team of `city` (any case, surrounding spaces ignored), or undefined. */
  get(city: string): Promise<StoredTeam | undefined>;
  /**
   * Teams whose city starts with `prefix` (any case, trimmed; "" = all), in city
   * order, at most `limit` (0 = no limit). Pages with keyset pagination, so a
   * caller streaming a million teams holds one page at a time.
   */
  list(prefix: string, limit: number): AsyncIterable<StoredTeam>;
  /**
   * One page of `list(prefix)`: at most `size` teams after the key `after` (a page's `after`;
   * undefined: from the first). Holds nothing between pages, so a caller that turns each page
   * into bytes at once keeps no rows while its client drains them (rpc/list-teams.ts).
   */
  listPage(prefix: string, after: string | undefined, size: number): Promise<TeamPage>;
  /** Creates or changes a team; throws StoreError already-exists / version-mismatch. */
  put(write: TeamWrite): Promise<{ team: StoredTeam; outcome: PutOutcome }>;
  /** Deletes a team; throws StoreError not-found / version-mismatch. Returns its city and the delete's version. */
  delete(city: string, ifVersion?: number): Promise<{ city: string; version: number }>;
  /** Writes validated rows in one transaction: all of it commits, or none. */
  importBatch(rows: readonly TeamWrite[]): Promise<ImportBatchResult>;
  /** The newest change version (0 for an empty history). */
  currentVersion(): Promise<number>;
  /**
   * Changes after `version`, oldest first, at most `limit`; throws history-trimmed
   * if they are gone. Never reveals later a version lower than one it has already
   * returned (the watch feed reads from its last version).
   */
  changesSince(version: number, limit: number): Promise<TeamChange[]>;
  /**
   * Drops the change log except its newest `keepNewest` entries; changesSince an older
   * version then throws history-trimmed. Returns the new floor (changes at or below it are gone).
   */
  trimHistory?(keepNewest: number): Promise<number>;
  /**
   * Optional wake-up for the watch feed: calls `listener` soon after any process
   * commits a write (PostgreSQL: LISTEN/NOTIFY). Only a hint: the feed then reads
   * changesSince. Returns the unsubscribe. Without it the feed polls.
   */
  onChange?(listener: () => void): () => void;
  /** Resolves when the database answers; rejects with StoreError unavailable otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The pages of a listing: `read` page after page, each of at most `listPageSize`, `limit` items
 * in all (0 = all), until a page says nothing follows it. `count` says how many a page holds.
 */
export async function* listingPages<Page extends { after?: string }>(
  read: (after: string | undefined, size: number) => Promise<Page>,
  count: (page: Page) => number,
  limit: number,
): AsyncGenerator<Page> {
  let left = limit > 0 ? limit : Number.POSITIVE_INFINITY;
  let after: string | undefined;
  do {
    const page = await read(after, Math.min(listPageSize, left));
    yield page;
    left -= count(page);
    after = page.after;
  } while (after !== undefined && left > 0);
}

/** `list` over `listPage`: the teams of `store.listPage`, page after page, at most `limit` (0 = all). */
export async function* pagedList(
  store: Pick<TeamStore, "listPage">,
  prefix: string,
  limit: number,
): AsyncIterable<StoredTeam> {
  const read = (after: string | undefined, size: number) => store.listPage(prefix, after, size);
  for await (const page of listingPages(read, (p) => p.teams.length, limit)) yield* page.teams;
}
