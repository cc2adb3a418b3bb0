// The statements a SqlTeamStore runs inside its transactions, and row conversions:
// dialect-neutral kysely, shared by SQLite and PostgreSQL.
import type { Kysely, Transaction } from "kysely";
import { type StoreDatabase, stateRow } from "./schema.ts";
import { type StoredTeam, StoreError, type TeamChange } from "./team-store.ts";
import type { Precondition } from "./write-plan.ts";

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

export function toTeam(row: TeamRow): StoredTeam {
  return { city: row.city, nickname: row.nickname, version: Number(row.version) };
}

export function toChange(row: StoreDatabase["changes"]): TeamChange {
  const version = Number(row.version);
  if (row.kind === "delete") return { version, kind: "delete", city: row.city };
  return { version, kind: "put", team: { city: row.city, nickname: row.nickname ?? "", version } };
}
