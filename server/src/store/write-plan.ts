// What a batch of writes does to the teams it touches, decided in memory once the
// current rows are read under the directory lock: pure, so both dialects share it.
import { cityKey } from "../team-record.ts";
import type { ImportBatchResult, StoredTeam, TeamChange, TeamWrite } from "./team-store.ts";

/** The precondition of a write or delete against the team it finds (undefined: none). */
export type Precondition =
  | { ok: true }
  | { ok: false; kind: "already-exists" | "version-mismatch"; currentVersion: number };

export function checkIfVersion(current: StoredTeam | undefined, ifVersion?: number): Precondition {
  if (ifVersion === undefined) return { ok: true };
  if (ifVersion === 0) {
    return current
      ? { ok: false, kind: "already-exists", currentVersion: current.version }
      : { ok: true };
  }
  if (current?.version === ifVersion) return { ok: true };
  return { ok: false, kind: "version-mismatch", currentVersion: current?.version ?? 0 };
}

export type PlannedWrite =
  | { index: number; outcome: "created" | "updated" | "unchanged"; team: StoredTeam }
  | { index: number; outcome: "conflict"; precondition: Precondition & { ok: false } };

export type WritePlan = {
  rows: PlannedWrite[];
  /** The rows to insert or update, one per key (the last write of a key wins). */
  upserts: Map<string, StoredTeam>;
  changes: Array<TeamChange & { kind: "put" }>;
  /** The directory's version after the batch. */
  version: number;
};

/**
 * Plans `writes` in order against `existing` (by city key), numbering each change from
 * `version + 1`. A write that changes nothing keeps the team's version and logs nothing;
 * an existing team keeps its canonical city spelling, only its nickname changes.
 */
export function planWrites(
  writes: readonly TeamWrite[],
  existing: ReadonlyMap<string, StoredTeam>,
  version: number,
): WritePlan {
  const current = new Map(existing);
  const plan: WritePlan = { rows: [], upserts: new Map(), changes: [], version };
  writes.forEach((write, index) => {
    const key = cityKey(write.city);
    const found = current.get(key);
    const precondition = checkIfVersion(found, write.ifVersion);
    if (!precondition.ok) {
      plan.rows.push({ index, outcome: "conflict", precondition });
      return;
    }
    if (found && found.nickname === write.nickname) {
      plan.rows.push({ index, outcome: "unchanged", team: found });
      return;
    }
    plan.version++;
    const team = {
      city: found?.city ?? write.city,
      nickname: write.nickname,
      version: plan.version,
    };
    current.set(key, team);
    plan.upserts.set(key, team);
    plan.changes.push({ version: plan.version, kind: "put", team });
    plan.rows.push({ index, outcome: found ? "updated" : "created", team });
  });
  return plan;
}

/** The counts an import batch answers with. */
export function summarize(plan: WritePlan): ImportBatchResult {
  const result: ImportBatchResult = {
    created: 0,
    updated: 0,
    unchanged: 0,
    conflicts: [],
    version: plan.version,
  };
  for (const row of plan.rows) {
    if (row.outcome === "conflict") {
      result.conflicts.push({ index: row.index, currentVersion: row.precondition.currentVersion });
    } else result[row.outcome]++;
  }
  return result;
}
