// The statements a SqlTeamStore runs inside its transactions, and row conversions:
// dialect-neutral kysely, shared by SQLite and PostgreSQL.
import type { Kysely, Transaction } from "kysely";
import { type StoreDatabase, stateRow } from "./schema.ts";
import { type StoredTeam, StoreError, type TeamChange } from "./team-store.ts";
import type { Precondition, WritePlan } from "./write-plan.ts";

/** Rows per statement in batched reads and writes (well under both dialects' parameter limits). */
const chunk = 500;

export type Trx = Transaction<StoreDatabase>;
/** The directory_state row: newest change version and history floor. */
export type State = { version: number; floor: number };
type TeamRow = { city: string; nickname: string; version: number | string };

export async function readState(db: Kysely<StoreDatabase>): Promise<State> {
  const row = await db
    .selectFrom("directory_state")
    .select(["version", "history_floor"])
    .where("id", "=", stateRow)
    .executeTakeFirstOrThrow();
  return { version: Number(row.version), floor: Number(row.history_floor) };
}

export function setState(trx: Trx, values: { version?: number; history_floor?: number }) {
  return trx.updateTable("directory_state").set(values).where("id", "=", stateRow).execute();
}

/** The teams of `keys` that exist, by key. */
export async function existing(
  trx: Trx,
  keys: readonly string[],
): Promise<Map<string, StoredTeam>> {
  const found = new Map<string, StoredTeam>();
  for (const chunk of chunks([...new Set(keys)])) {
    const rows = await trx
      .selectFrom("teams")
      .select(["city_key", "city", "nickname", "version"])
      .where("city_key", "in", chunk)
      .execute();
    for (const row of rows) found.set(row.city_key, toTeam(row));
  }
  return found;
}

export async function applyPlan(trx: Trx, plan: WritePlan, state: State): Promise<void> {
  for (const chunk of chunks([...plan.upserts])) {
    await trx
      .insertInto("teams")
      .values(chunk.map(([key, team]) => ({ city_key: key, ...team })))
      .onConflict((conflict) =>
        conflict.column("city_key").doUpdateSet((eb) => ({
          nickname: eb.ref("excluded.nickname"),
          version: eb.ref("excluded.version"),
        })),
      )
      .execute();
  }
  for (const chunk of chunks(plan.changes)) {
    await trx
      .insertInto("changes")
      .values(
        chunk.map(({ version, team }) => ({
          version,
          kind: "put" as const,
          city: team.city,
          nickname: team.nickname,
        })),
      )
      .execute();
  }
  if (plan.version !== state.version) await setState(trx, { version: plan.version });
}

export function preconditionError(
  precondition: Precondition & { ok: false },
  write: { city: string; ifVersion?: number },
): StoreError {
  const { kind, currentVersion } = precondition;
  const message =
    kind === "already-exists"
      ? `"${write.city}" already has a team (version ${currentVersion}); if_version 0 only creates`
      : `"${write.city}" is at version ${currentVersion}, not ${write.ifVersion}`;
  return new StoreError(kind, message, currentVersion);
}

function* chunks<T>(items: readonly T[]): Generator<T[]> {
  for (let start = 0; start < items.length; start += chunk) yield items.slice(start, start + chunk);
}

export function toTeam(row: TeamRow): StoredTeam {
  return { city: row.city, nickname: row.nickname, version: Number(row.version) };
}

export function toChange(row: StoreDatabase["changes"]): TeamChange {
  const version = Number(row.version);
  if (row.kind === "delete") return { version, kind: "delete", city: row.city };
  return { version, kind: "put", team: { city: row.city, nickname: row.nickname ?? "", version } };
}
