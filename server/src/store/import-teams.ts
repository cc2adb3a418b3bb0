// Loads teams into a store in batched transactions: TEAMS_FILE at start and
// `npm run import -- FILE` both come here.
import type { TeamRecord } from "../team-record.ts";
import type { TeamStore } from "./team-store.ts";

/** Rows per transaction: big enough to amortise a commit, small enough to hold little memory. */
export const importBatchRows = 1000;

export type ImportTotals = { created: number; updated: number; unchanged: number; version: number };

/** Writes every record unconditionally (create or change the nickname), a batch at a time. */
export async function importTeams(
  store: TeamStore,
  teams: readonly TeamRecord[],
): Promise<ImportTotals> {
  const totals: ImportTotals = { created: 0, updated: 0, unchanged: 0, version: 0 };
  for (let start = 0; start < teams.length; start += importBatchRows) {
    const batch = teams.slice(start, start + importBatchRows);
    const result = await store.importBatch(batch);
    totals.created += result.created;
    totals.updated += result.updated;
    totals.unchanged += result.unchanged;
    totals.version = result.version;
  }
  return totals;
}
