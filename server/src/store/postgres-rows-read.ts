// A listing page's query on PostgreSQL, built by kysely like every other query but run through
// pg's pool.query. kysely runs every query with `await client.query(...)`, pg's promise form;
// measured on a million-team ListTeams (`--trace-gc-nvp`, server/README.md "What ListTeams
// promoted"), every row read that way was promoted to V8's old generation, about 200 bytes per
// team, which filled with dead rows until a mark-compact (RSS up by 40-60 MB). pool.query runs
// the client's callback form, and the same rows die young.
import type pg from "pg";
import type { RowsRead } from "./sql-team-store.ts";

export function postgresRowsRead(pool: pg.Pool): RowsRead {
  return async (query) => (await pool.query(query.sql, [...query.parameters])).rows;
}
