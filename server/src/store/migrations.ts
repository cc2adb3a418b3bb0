// Versioned migrations, in code, for both dialects. kysely's Migrator records each in
// kysely_migration; callers serialise concurrent starts (sqlite-store.ts: a write lock
// on the file; PostgreSQL: kysely's advisory lock).
import { type Kysely, type Migration, Migrator, sql } from "kysely";
import { stateRow } from "./schema.ts";

export type Dialect = "sqlite" | "postgres";

/** Every migration, by name; names sort in the order they run. Never edit one that shipped. */
export function migrations(dialect: Dialect): Record<string, Migration> {
  // City keys compare by code point on both: SQLite's BINARY (UTF-8 bytes), PostgreSQL's "C".
  const keyCollation = dialect === "postgres" ? sql`collate "C"` : sql`collate binary`;
  return {
    "0001_teams_changes_state": {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable("teams")
          .addColumn("city_key", "text", (col) => col.primaryKey().modifyFront(keyCollation))
          .addColumn("city", "text", (col) => col.notNull())
          .addColumn("nickname", "text", (col) => col.notNull())
          .addColumn("version", "bigint", (col) => col.notNull())
          .execute();
        await db.schema
          .createTable("changes")
          .addColumn("version", "bigint", (col) => col.primaryKey())
          .addColumn("kind", "text", (col) => col.notNull().check(sql`kind in ('put', 'delete')`))
          .addColumn("city", "text", (col) => col.notNull())
          .addColumn("nickname", "text")
          .execute();
        await db.schema
          .createTable("directory_state")
          .addColumn("id", "integer", (col) => col.primaryKey())
          .addColumn("version", "bigint", (col) => col.notNull())
          .addColumn("history_floor", "bigint", (col) => col.notNull())
          .execute();
        await sql`insert into directory_state (id, version, history_floor) values (${stateRow}, 0, 0)`.execute(
          db,
        );
      },
    },
  };
}

/** Runs every pending migration; throws the first failure with the migration's name. */
export async function migrateToLatest(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations(dialect) },
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error === undefined) return;
  const failed = results?.find((result) => result.status === "Error")?.migrationName;
  throw Object.assign(new Error(`migration ${failed ?? "setup"} failed`), { cause: error });
}
