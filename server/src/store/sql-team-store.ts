// The one TeamStore implementation, written once with kysely for both dialects; a
// StoreDriver (sqlite-driver.ts, postgres-driver.ts) supplies the connection and says
// which failures mean "the database is unavailable".
import { setTimeout as sleep } from "node:timers/promises";
import { type CompiledQuery, type Kysely, sql } from "kysely";
import { cityKey } from "../team-record.ts";
import { prefixUpperBound } from "./key-range.ts";
import type { RowStatements } from "./row-statements.ts";
import { type StoreDatabase, stateRow } from "./schema.ts";
import {
  preconditionError,
  readState,
  type State,
  setState,
  type Trx,
  toChange,
  toTeam,
} from "./sql-statements.ts";
import {
  type ImportBatchResult,
  type PutOutcome,
  pagedList,
  type StoredTeam,
  StoreError,
  type TeamChange,
  type TeamPage,
  type TeamStore,
  type TeamWrite,
} from "./team-store.ts";
import { checkIfVersion, planWrites, summarize, type WritePlan } from "./write-plan.ts";

/** Runs a query kysely compiled and returns its rows (PostgreSQL: see postgres-rows-read.ts). */
export type RowsRead = <Row>(query: CompiledQuery<Row>) => Promise<Row[]>;

export type StoreDriver = {
  kind: "sqlite" | "postgres";
  db: Kysely<StoreDatabase>;
  /** Names the database in messages: the SQLite path or host:port/dbname, never credentials. */
  name: string;
  /** Why `error` means the database cannot be reached ("connection refused", ...), else undefined. */
  unavailableReason(error: unknown): string | undefined;
  /** Whether `error` is a transient lock conflict worth retrying (SQLITE_BUSY, a deadlock). */
  isBusy(error: unknown): boolean;
  /** The per-row reads and writes of a write transaction, in the dialect's fastest form. */
  rows: RowStatements<Trx>;
  /** Runs a listing page's query itself instead of through kysely's execute(). */
  readRows?: RowsRead;
  close(): Promise<void>;
};

/** How long a call retries lock conflicts (another process writing) before failing unavailable. */
export const busyRetryMs = 10_000;

export class SqlTeamStore implements TeamStore {
  readonly kind: string;
  readonly #driver: StoreDriver;
  readonly #db: Kysely<StoreDatabase>;

  constructor(driver: StoreDriver) {
    this.#driver = driver;
    this.#db = driver.db;
    this.kind = driver.kind;
  }

  get(city: string): Promise<StoredTeam | undefined> {
    const key = cityKey(city);
    return this.#run(async () => {
      const row = await this.#db
        .selectFrom("teams")
        .select(["city", "nickname", "version"])
        .where("city_key", "=", key)
        .executeTakeFirst();
      return row && toTeam(row);
    });
  }

  list(prefix: string, limit: number): AsyncIterable<StoredTeam> {
    return pagedList(this, prefix, limit);
  }

  listPage(prefix: string, after: string | undefined, size: number): Promise<TeamPage> {
    const low = cityKey(prefix);
    const high = prefixUpperBound(low);
    const query = this.#db
      .selectFrom("teams")
      .select(["city_key", "city", "nickname", "version"])
      .where("city_key", after === undefined ? ">=" : ">", after ?? low)
      .$if(high !== undefined, (q) => q.where("city_key", "<", high as string))
      .orderBy("city_key")
      .limit(size);
    const readRows = this.#driver.readRows;
    return this.#run(async () => {
      const rows = readRows ? await readRows(query.compile()) : await query.execute();
      const last = rows.length === size ? rows[rows.length - 1] : undefined;
      return { teams: rows.map(toTeam), after: last?.city_key };
    });
  }

  put(write: TeamWrite): Promise<{ team: StoredTeam; outcome: PutOutcome }> {
    return this.#write(async (trx, state) => {
      const plan = planWrites(
        [write],
        await this.#existing(trx, [cityKey(write.city)]),
        state.version,
      );
      const row = plan.rows[0];
      if (!row) throw new Error("a plan of one write has one row");
      if (row.outcome === "conflict") throw preconditionError(row.precondition, write);
      await this.#apply(trx, plan, state);
      return { team: row.team, outcome: row.outcome };
    });
  }

  delete(city: string, ifVersion?: number): Promise<{ city: string; version: number }> {
    return this.#write(async (trx, state) => {
      const key = cityKey(city);
      const found = (await this.#existing(trx, [key])).get(key);
      if (!found) throw new StoreError("not-found", `no team for city "${city.trim()}"`);
      const precondition = checkIfVersion(found, ifVersion);
      if (!precondition.ok) throw preconditionError(precondition, { city: found.city, ifVersion });
      const version = state.version + 1;
      await trx.deleteFrom("teams").where("city_key", "=", key).execute();
      await trx
        .insertInto("changes")
        .values({ version, kind: "delete", city: found.city, nickname: null })
        .execute();
      await setState(trx, { version });
      return { city: found.city, version };
    });
  }

  importBatch(rows: readonly TeamWrite[]): Promise<ImportBatchResult> {
    return this.#write(async (trx, state) => {
      const plan = planWrites(
        rows,
        await this.#existing(
          trx,
          rows.map((row) => cityKey(row.city)),
        ),
        state.version,
      );
      await this.#apply(trx, plan, state);
      return summarize(plan);
    });
  }

  /** Writes `rows` only if the directory has never been written (a fresh store); true if it did. */
  seedIfNew(rows: readonly TeamWrite[]): Promise<boolean> {
    return this.#write(async (trx, state) => {
      if (state.version !== 0) return false;
      await this.#apply(trx, planWrites(rows, new Map(), 0), state);
      return true;
    });
  }

  currentVersion(): Promise<number> {
    return this.#run(async () => (await readState(this.#db)).version);
  }

  changesSince(version: number, limit: number): Promise<TeamChange[]> {
    return this.#run(async () => {
      const rows = await this.#db
        .selectFrom("changes")
        .selectAll()
        .where("version", ">", version)
        .orderBy("version")
        .$if(limit > 0, (query) => query.limit(limit))
        .execute();
      // The floor is read after the rows: if it is still at or below `version`, no
      // change this call wanted was trimmed before it was read.
      const { floor } = await readState(this.#db);
      if (version < floor) {
        throw new StoreError(
          "history-trimmed",
          `the changes after version ${version} are trimmed (history starts after ${floor}); start again from version 0`,
        );
      }
      return rows.map(toChange);
    });
  }

  trimHistory(keepNewest: number): Promise<number> {
    return this.#write(async (trx, state) => {
      const floor = Math.max(state.floor, state.version - keepNewest);
      if (floor === state.floor) return floor;
      await trx.deleteFrom("changes").where("version", "<=", floor).execute();
      await setState(trx, { history_floor: floor });
      return floor;
    });
  }

  ping(): Promise<void> {
    return this.#run(async () => {
      await sql`select 1`.execute(this.#db);
    });
  }

  close(): Promise<void> {
    return this.#driver.close();
  }

  #existing(trx: Trx, keys: readonly string[]): Promise<Map<string, StoredTeam>> {
    return this.#driver.rows.existing(trx, keys);
  }

  /** Writes a plan's teams and change-log rows, then moves the directory's version. */
  async #apply(trx: Trx, plan: WritePlan, state: State): Promise<void> {
    await this.#driver.rows.write(trx, plan);
    if (plan.version !== state.version) await setState(trx, { version: plan.version });
  }

  /**
   * One write transaction. It starts by locking the state row, so writers (of every
   * replica) queue there: versions are handed out and committed in order, and the
   * change log never shows version N+1 before N.
   */
  #write<T>(work: (trx: Trx, state: State) => Promise<T>): Promise<T> {
    return this.#run(() =>
      this.#db.transaction().execute(async (trx) => {
        const row = await trx
          .updateTable("directory_state")
          .set((eb) => ({ version: eb.ref("version") }))
          .where("id", "=", stateRow)
          .returning(["version", "history_floor"])
          .executeTakeFirstOrThrow();
        return work(trx, { version: Number(row.version), floor: Number(row.history_floor) });
      }),
    );
  }

  /**
   * Runs one operation, retrying it while the database reports a lock conflict (with
   * a short random wait, so the event loop keeps serving), and turns driver failures
   * that mean "unreachable" into StoreError unavailable naming the database.
   */
  async #run<T>(work: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + busyRetryMs;
    for (let wait = 1; ; wait = Math.min(wait * 2, 50)) {
      try {
        return await work();
      } catch (error) {
        if (error instanceof StoreError) throw error;
        if (this.#driver.isBusy(error) && Date.now() < deadline) {
          await sleep(wait * (0.5 + Math.random()));
          continue;
        }
        const reason = this.#driver.isBusy(error)
          ? "locked by another writer for too long"
          : this.#driver.unavailableReason(error);
        if (reason === undefined) throw error;
        throw new StoreError("unavailable", `${this.#driver.name} is unavailable: ${reason}`);
      }
    }
  }
}
