// The tables behind a TeamStore, as kysely sees them. One schema for SQLite and
// PostgreSQL; migrations.ts creates it.

/** One row per team. `city_key` is cityKey(city): trimmed, NFC, lower-case; ordered by code point. */
export interface TeamsTable {
  city_key: string;
  /** The canonical spelling, as first written. */
  city: string;
  nickname: string;
  /** The change version of the write that last changed this team. */
  version: number | string;
}

/** The change log: one row per write, written in the same transaction as the write. */
export interface ChangesTable {
  version: number | string;
  kind: "put" | "delete";
  city: string;
  /** null for a delete. */
  nickname: string | null;
}

/**
 * The directory's single state row (id 1): the newest change version (the one sequence
 * every write takes its version from, under this row's lock, so versions commit in
 * order) and the history floor (changes at or below it are trimmed).
 */
export interface DirectoryStateTable {
  id: number;
  version: number | string;
  history_floor: number | string;
}

export interface StoreDatabase {
  teams: TeamsTable;
  changes: ChangesTable;
  directory_state: DirectoryStateTable;
}

/** The id of the one directory_state row. */
export const stateRow = 1;
