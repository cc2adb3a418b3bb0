// RowStatements on SQLite: prepared once, run once per row on the connection kysely's
// transaction holds (better-sqlite3 is synchronous, so they run inside that transaction).
import type Database from "better-sqlite3";
import type { RowStatements } from "./row-statements.ts";
import type { StoredTeam } from "./team-store.ts";

type TeamRow = { city: string; nickname: string; version: number };

export function sqliteRowStatements(database: Database.Database): RowStatements<unknown> {
  const select = database.prepare<[string], TeamRow>(
    "select city, nickname, version from teams where city_key = ?",
  );
  const upsert = database.prepare<[string, string, string, number]>(
    `insert into teams (city_key, city, nickname, version) values (?, ?, ?, ?)
     on conflict (city_key) do update set nickname = excluded.nickname, version = excluded.version`,
  );
  const logPut = database.prepare<[number, string, string]>(
    "insert into changes (version, kind, city, nickname) values (?, 'put', ?, ?)",
  );
  return {
    async existing(_trx, keys) {
      const found = new Map<string, StoredTeam>();
      for (const key of keys) {
        const row = found.has(key) ? undefined : select.get(key);
        if (row) found.set(key, { city: row.city, nickname: row.nickname, version: row.version });
      }
      return found;
    },
    async write(_trx, plan) {
      for (const [key, team] of plan.upserts)
        upsert.run(key, team.city, team.nickname, team.version);
      for (const { version, team } of plan.changes) logPut.run(version, team.city, team.nickname);
    },
  };
}
