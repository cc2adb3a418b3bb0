// SQLite (better-sqlite3), the embedded default: one file in DATA_DIR, WAL mode so
// readers never wait for the writer and several processes can share the file.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import { migrateToLatest } from "./migrations.ts";
import type { StoreDatabase } from "./schema.ts";
import type { StoreDriver } from "./sql-team-store.ts";
import { sqliteRowStatements } from "./sqlite-row-statements.ts";
import { StoreError } from "./team-store.ts";

/** How long opening waits for another process that is migrating the same file. */
export const sqliteBusyTimeoutMs = 10_000;

/** Opens (creating if needed) and migrates the SQLite database at `path`. */
export async function openSqliteDriver(path: string): Promise<StoreDriver> {
  const name = `SQLite database ${path}`;
  let database: Database.Database;
  try {
    mkdirSync(dirname(path), { recursive: true });
    database = new Database(path);
    database.pragma(`busy_timeout = ${sqliteBusyTimeoutMs}`);
    database.pragma("journal_mode = WAL");
    // NORMAL in WAL: a commit is in the OS before the call answers, so it survives the
    // process being killed; only an OS crash or power loss can take the last commits.
    database.pragma("synchronous = NORMAL");
  } catch (error) {
    throw new StoreError(
      "unavailable",
      `cannot open ${name}: ${sqliteUnavailableReason(error) ?? "not a usable file"}`,
    );
  }
  const db = new Kysely<StoreDatabase>({
    dialect: new SqliteDialect({ database: reusingStatements(database) }),
  });
  // Two processes opening one new file: the first to take the write lock migrates, the
  // other waits (busy_timeout) and then finds every migration recorded.
  try {
    database.exec("begin immediate");
    await migrateToLatest(db as Kysely<unknown>, "sqlite");
    database.exec("commit");
    // From here on a lock conflict fails at once and the store retries it asynchronously
    // (sql-team-store.ts): a synchronous busy wait would stop this process's event loop.
    database.pragma("busy_timeout = 0");
  } catch (error) {
    if (database.inTransaction) database.exec("rollback");
    await db.destroy();
    const reason = sqliteUnavailableReason(error);
    if (reason) throw new StoreError("unavailable", `cannot open ${name}: ${reason}`);
    throw error;
  }
  return {
    kind: "sqlite",
    db,
    name,
    unavailableReason: sqliteUnavailableReason,
    isBusy: (error) => String((error as { code?: unknown } | null)?.code).startsWith("SQLITE_BUSY"),
    rows: sqliteRowStatements(database),
    close: () => db.destroy(),
  };
}

/**
 * The database as kysely sees it, preparing each distinct SQL text once: kysely asks
 * for a statement per query, and SQLite's parse and plan is most of a point lookup.
 */
function reusingStatements(database: Database.Database) {
  const statements = new Map<string, Database.Statement>();
  return {
    close: () => database.close(),
    prepare(sql: string): Database.Statement {
      let statement = statements.get(sql);
      if (!statement) {
        statement = database.prepare(sql);
        // Only the few texts the store issues repeat; a bound keeps odd ones from piling up.
        if (statements.size < 256) statements.set(sql, statement);
      }
      return statement;
    },
  };
}

/** Result codes that mean the file cannot be used now, as a short reason without driver text. */
const reasons: Array<[prefix: string, reason: string]> = [
  ["SQLITE_BUSY", "locked by another process for too long"],
  ["SQLITE_LOCKED", "locked"],
  ["SQLITE_IOERR", "I/O error"],
  ["SQLITE_FULL", "disk full"],
  ["SQLITE_CANTOPEN", "cannot open the file"],
  ["SQLITE_READONLY", "the file is read-only"],
  ["SQLITE_PERM", "permission denied"],
  ["SQLITE_CORRUPT", "the file is corrupt"],
  ["SQLITE_NOTADB", "not a SQLite database file"],
  ["SQLITE_PROTOCOL", "locking protocol error"],
  ["ENOTDIR", "a parent of the file is not a directory"],
  ["EACCES", "permission denied"],
  ["EROFS", "read-only file system"],
];

export function sqliteUnavailableReason(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string") {
    for (const [prefix, reason] of reasons) if (code.startsWith(prefix)) return reason;
  }
  if (error instanceof TypeError && /database connection is not open/.test(error.message)) {
    return "closed";
  }
  return undefined;
}
