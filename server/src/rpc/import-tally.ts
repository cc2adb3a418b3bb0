import { ImportTeamsResponse, RejectedRow } from "../gen/teams.ts";
import type { ImportBatchResult, TeamWrite } from "../store/team-store.ts";
import type { FieldViolation } from "../validation.ts";

/** How many rejected rows an import lists (all are counted). */
export const maxRejectedListed = 100;

/** The running counts of one import, turned into its ImportTeamsResponse at the end. */
export class ImportTally {
  created = 0;
  updated = 0;
  unchanged = 0;
  rejectedCount = 0;
  version = 0;
  /** The rejected rows with the lowest indexes, at most maxRejectedListed. */
  readonly #rejected: RejectedRow[] = [];

  /** A row that broke PutTeam's rules: one entry naming the first field, describing them all. */
  rejectInvalid(index: number, violations: readonly FieldViolation[]): void {
    const description = violations.map((v) => `${v.field}: ${v.description}`).join("; ");
    this.#reject(index, violations[0]?.field ?? "city", description);
  }

  /** Adds one committed batch; `indexes[i]` is the stream index of `rows[i]`. */
  addBatch(
    result: ImportBatchResult,
    rows: readonly TeamWrite[],
    indexes: readonly number[],
  ): void {
    this.created += result.created;
    this.updated += result.updated;
    this.unchanged += result.unchanged;
    this.version = result.version;
    for (const conflict of result.conflicts) {
      const asked = rows[conflict.index]?.ifVersion;
      const current = conflict.currentVersion;
      const description =
        asked === 0
          ? `if_version: 0 asks for a new team, but the city has one (version ${current})`
          : `if_version: ${asked} but the team is at version ${current}${current === 0 ? " (no team)" : ""}`;
      this.#reject(indexes[conflict.index] ?? -1, "if_version", description);
    }
  }

  response(): ImportTeamsResponse {
    return new ImportTeamsResponse({
      created: this.created,
      updated: this.updated,
      unchanged: this.unchanged,
      rejected_count: this.rejectedCount,
      rejected: [...this.#rejected].sort((a, b) => a.index - b.index),
      version: this.version,
    });
  }

  /** The counts for the write's log line. */
  summary(): Record<string, number> {
    const { created, updated, unchanged, rejectedCount, version } = this;
    return { created, updated, unchanged, rejected: rejectedCount, version };
  }

  #reject(index: number, field: string, description: string): void {
    this.rejectedCount++;
    this.#rejected.push(new RejectedRow({ index, field, description }));
    if (this.#rejected.length > maxRejectedListed) {
      // Conflicts of a batch are known after later rows were read: keep the lowest indexes.
      this.#rejected.sort((a, b) => a.index - b.index);
      this.#rejected.length = maxRejectedListed;
    }
  }
}
