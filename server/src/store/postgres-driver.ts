// PostgreSQL (pg) when DATABASE_URL is set: several replicas share one database.
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { migrateToLatest } from "./migrations.ts";
import { postgresRowStatements } from "./postgres-row-statements.ts";
import { postgresRowsRead } from "./postgres-rows-read.ts";
import type { StoreDatabase } from "./schema.ts";
import type { StoreDriver } from "./sql-team-store.ts";
import { StoreError } from "./team-store.ts";

export type PostgresOptions = {
  /** How long a call waits for a connection before failing unavailable. Default 5000. */
  connectTimeoutMs?: number;
  /** Connections in the pool. Default 10. */
  poolSize?: number;
  /** Given the pool once it is made (the server's metrics read its use). */
  onPool?: (pool: pg.Pool) => void;
};

/** Connects to and migrates the database of `url` (postgres://user:password@host:port/dbname). */
export async function openPostgresDriver(
  url: string,
  options: PostgresOptions = {},
): Promise<StoreDriver> {
  const name = `PostgreSQL ${postgresName(url)}`;
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    idleTimeoutMillis: 30_000,
  });
  options.onPool?.(pool);
  // An idle connection lost (the database restarted) is dropped by the pool, which
  // connects anew on the next call; without a listener the error would end the process.
  pool.on("error", () => {});
  // The same for a connection lost while checked out between queries: its next query
  // fails (unavailable) and the pool discards it on release.
  pool.on("connect", (client) => client.on("error", () => {}));
  const db = new Kysely<StoreDatabase>({ dialect: new PostgresDialect({ pool }) });
  try {
    // kysely's Migrator holds a PostgreSQL advisory lock while it migrates, so replicas
    // starting together run each migration once.
    await migrateToLatest(db as Kysely<unknown>, "postgres");
  } catch (error) {
    await db.destroy();
    const reason =
      postgresUnavailableReason(error) ?? postgresUnavailableReason((error as Error).cause);
    if (reason) throw new StoreError("unavailable", `cannot open ${name}: ${reason}`);
    throw error;
  }
  return {
    kind: "postgres",
    db,
    name,
    unavailableReason: postgresUnavailableReason,
    // serialization_failure, deadlock_detected: the transaction can simply run again.
    isBusy: (error) => ["40001", "40P01"].includes(String((error as { code?: unknown }).code)),
    rows: postgresRowStatements,
    readRows: postgresRowsRead(pool),
    close: () => db.destroy(),
  };
}

/** `host:port/dbname` of a connection URL: what logs and errors may show (no user, no password). */
export function postgresName(url: string): string {
  try {
    const parsed = new URL(url);
    const host = parsed.hostname || parsed.searchParams.get("host") || "localhost";
    const database = decodeURIComponent(parsed.pathname.replace(/^\//, "")) || "postgres";
    return `${host}:${parsed.port || "5432"}/${database}`;
  } catch {
    return "(DATABASE_URL)";
  }
}

/** SQLSTATE classes that mean "cannot serve now" (PostgreSQL appendix A). */
const sqlstateReasons: Record<string, string> = {
  "08": "connection failure",
  "28": "authentication failed",
  "3D": "no such database",
  "53": "out of resources",
  "57": "shutting down or restarting",
  "58": "system error",
};

const errnoReasons: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection lost",
  EPIPE: "connection lost",
  ETIMEDOUT: "timed out",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host not found",
};

/** pg's own connection errors carry no code, only these messages. */
const messageReasons: Array<[RegExp, string]> = [
  [/^Connection terminated/, "connection lost"],
  [/timeout exceeded when trying to connect/, "timed out connecting"],
  [/not queryable|Client was closed/, "connection lost"],
  [/Cannot use a pool after calling end/, "closed"],
];

export function postgresUnavailableReason(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") {
    if (/^[0-9A-Z]{5}$/.test(code)) {
      return code === "57014" ? undefined : sqlstateReasons[code.slice(0, 2)];
    }
    if (errnoReasons[code]) return errnoReasons[code];
  }
  for (const [pattern, reason] of messageReasons) if (pattern.test(error.message)) return reason;
  if (error instanceof AggregateError) return postgresUnavailableReason(error.errors[0]);
  return undefined;
}
