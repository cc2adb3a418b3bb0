// A listing page's read on PostgreSQL, through pg's pool.query rather than kysely. kysely runs
// every query with `await client.query(...)`, pg's promise form; measured on a million-team
// ListTeams (`--trace-gc-nvp`, server/README.md "What ListTeams promoted"), every row read that
// way was promoted to V8's old generation, about 200 bytes per team, which filled with dead rows
// until a mark-compact (RSS up by 40-60 MB). pool.query runs the client's callback form, and the
// same rows die young. The SQL is the kysely query's (sql-team-store.ts).
import type pg from "pg";
import type { PageRead } from "./sql-team-store.ts";

export function postgresPageRead(pool: pg.Pool): PageRead {
  return async ({ low, high, after, size }) => {
    const values: Array<string | number> = [after ?? low, size];
    const text = [
      "select city_key, city, nickname, version from teams",
      `where city_key ${after === undefined ? ">=" : ">"} $1`,
    ];
    if (high !== undefined) text.push(`and city_key < $${values.push(high)}`);
    text.push("order by city_key limit $2");
    return (await pool.query(text.join(" "), values)).rows;
  };
}
