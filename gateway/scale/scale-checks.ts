// What the scale run checks once the load has stopped, from the calls it recorded, what the
// watchers received, and what PostgreSQL holds.

import { onKilledReplica, type KillWindow as SoakKillWindow } from "../soak/replica-kills.ts";
import type { ScaleCall } from "./mixed-load.ts";
import type { WatcherFigures } from "./resuming-watcher.ts";

export interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

export interface StoredRow {
  readonly city: string;
  readonly nickname: string;
  readonly version: number;
}

/** From the SIGKILL until the pool had the killed replica out of rotation. */
export type KillWindow = Pick<SoakKillWindow, "killAt" | "outAt">;

export function failed(call: ScaleCall): boolean {
  if (call.outcome.status !== 0) return true;
  return call.kind === "ListTeams" ? call.outcome.messages < 1 : call.outcome.messages !== 1;
}

export function scaleChecks(
  calls: readonly ScaleCall[],
  kill: KillWindow,
  rows: ReadonlyMap<string, StoredRow>,
  changeVersions: readonly number[],
  watchers: readonly WatcherFigures[],
): Check[] {
  const checks: Check[] = [];
  const unexpected = calls.filter((call) => failed(call) && !onKilledReplica(call, [kill]));
  checks.push({
    name: "no call failed except those on the killed replica",
    ok: unexpected.length === 0,
    detail:
      unexpected.length === 0
        ? `${calls.filter(failed).length} failed, all on the killed replica (started before it was out of rotation ${Math.round(kill.outAt - kill.killAt)} ms after the kill)`
        : `${unexpected.length} other failures, first: ${describe(unexpected.slice(0, 3))}`,
  });

  const written = calls.filter((call) => call.stored);
  const missing = written.filter((call) => {
    const stored = call.stored as StoredRow;
    const row = rows.get(stored.city);
    return !row || row.nickname !== stored.nickname || row.version !== stored.version;
  });
  // A write that failed on the killed replica may have been committed before it died.
  const failedWrites = calls.filter((call) => call.kind === "PutTeam" && failed(call));
  const committedAnyway = failedWrites.filter((call) => call.city && rows.has(call.city));
  checks.push({
    name: "every write answered OK is in the database",
    ok: missing.length === 0 && written.length > 0,
    detail: `${written.length} answered OK, ${missing.length} missing or different${
      missing.length ? `, first: ${JSON.stringify(missing[0]?.stored)}` : ""
    }; of ${failedWrites.length} failed, ${committedAnyway.length} committed all the same`,
  });

  const expected = new Set(changeVersions);
  watchers.forEach((watcher, index) => {
    const lost = changeVersions.filter((version) => !watcher.puts.has(version));
    const twice = [...watcher.puts].filter(([, count]) => count > 1).map(([version]) => version);
    const unknown = [...watcher.puts.keys()].filter((version) => !expected.has(version));
    checks.push({
      name: `watcher ${index + 1} saw every change exactly once`,
      ok: lost.length === 0 && twice.length === 0 && unknown.length === 0,
      detail: `${changeVersions.length} changes in the database: ${watcher.puts.size} seen, ${lost.length} missed, ${twice.length} seen twice, ${unknown.length} not in the database (${watcher.watches - 1} resumes)${
        lost.length + twice.length + unknown.length
          ? `; first: ${JSON.stringify({ missed: lost.slice(0, 3), twice: twice.slice(0, 3), unknown: unknown.slice(0, 3) })}`
          : ""
      }`,
    });
  });
  return checks;
}

export interface CallTally {
  readonly calls: Record<string, { total: number; failedInFlight: number; failedOther: number }>;
  /** "PutTeam 14: message" (numbers as N) and how many failed so. */
  readonly failureKinds: Record<string, number>;
}

export function tallyCalls(calls: readonly ScaleCall[], kill: KillWindow): CallTally {
  const tally: CallTally = { calls: {}, failureKinds: {} };
  for (const call of calls) {
    const entry = tally.calls[call.kind] ?? { total: 0, failedInFlight: 0, failedOther: 0 };
    tally.calls[call.kind] = entry;
    entry.total += 1;
    if (!failed(call)) continue;
    if (onKilledReplica(call, [kill])) entry.failedInFlight += 1;
    else entry.failedOther += 1;
    const kind = `${call.kind} ${call.outcome.status}: ${call.outcome.message.replace(/\d+/g, "N")}`;
    tally.failureKinds[kind] = (tally.failureKinds[kind] ?? 0) + 1;
  }
  return tally;
}

function describe(calls: readonly ScaleCall[]): string {
  return calls
    .map((call) => `${call.kind} ${call.outcome.status} ${call.outcome.message}`)
    .join("; ");
}
