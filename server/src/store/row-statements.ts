// The per-row statements of a write transaction (read the teams a batch touches, write its
// upserts and change-log rows), run the fastest way each dialect allows: SQLite runs one
// prepared statement per row (better-sqlite3 is synchronous and in-process, so a row costs
// a microsecond or two, where building and compiling a kysely query per batch cost more
// than SQLite itself); PostgreSQL runs one statement per batch whatever its size, the rows
// passed as arrays and spread by unnest, so its text and plan never vary.
import type { StoredTeam } from "./team-store.ts";
import type { WritePlan } from "./write-plan.ts";

/** Called inside the write transaction only (SqlTeamStore's #write). */
export interface RowStatements<Trx> {
  /** The teams of `keys` that exist, by key. */
  existing(trx: Trx, keys: readonly string[]): Promise<Map<string, StoredTeam>>;
  /** Writes the plan's teams (insert or update, one row per key) and its change-log rows. */
  write(trx: Trx, plan: Pick<WritePlan, "upserts" | "changes">): Promise<void>;
}
