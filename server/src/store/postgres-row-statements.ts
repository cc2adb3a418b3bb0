// RowStatements on PostgreSQL: one statement per batch, whatever its size. The rows go as
// one array parameter per column and unnest spreads them back into rows, so the text never
// changes with the batch (no 2,000-parameter statements to build and parse).
import { sql, type Transaction } from "kysely";
import type { RowStatements } from "./row-statements.ts";
import type { StoreDatabase } from "./schema.ts";
import type { StoredTeam } from "./team-store.ts";

type TeamRow = { city_key: string; city: string; nickname: string; version: string | number };

export const postgresRowStatements: RowStatements<Transaction<StoreDatabase>> = {
  async existing(trx, keys) {
    const { rows } = await sql<TeamRow>`
      select city_key, city, nickname, version from teams
      where city_key = any(${[...new Set(keys)]}::text[])`.execute(trx);
    const found = new Map<string, StoredTeam>();
    for (const row of rows) {
      found.set(row.city_key, {
        city: row.city,
        nickname: row.nickname,
        version: Number(row.version),
      });
    }
    return found;
  },
  async write(trx, plan) {
    if (plan.upserts.size > 0) {
      const teams = [...plan.upserts.values()];
      await sql`
        insert into teams (city_key, city, nickname, version)
        select * from unnest(${[...plan.upserts.keys()]}::text[], ${teams.map((t) => t.city)}::text[],
          ${teams.map((t) => t.nickname)}::text[], ${teams.map((t) => t.version)}::bigint[])
        on conflict (city_key) do update
          set nickname = excluded.nickname, version = excluded.version`.execute(trx);
    }
    if (plan.changes.length > 0) {
      const teams = plan.changes.map((change) => change.team);
      await sql`
        insert into changes (version, kind, city, nickname)
        select version, 'put', city, nickname
        from unnest(${plan.changes.map((c) => c.version)}::bigint[], ${teams.map((t) => t.city)}::text[],
          ${teams.map((t) => t.nickname)}::text[]) as batch (version, city, nickname)`.execute(trx);
    }
  },
};
