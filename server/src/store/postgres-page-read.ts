// ListTeams' page read on PostgreSQL, through pg's pool.query rather than kysely. kysely runs a
// query with `await client.query(...)`, pg's promise-returning form; measured on a streaming
// ListTeams (`--trace-gc-nvp`, sampled heap profiles, server/README.md), every row read that way
// outlived its scavenges and was promoted to V8's old generation, about 200 bytes per team, so
// the old generation filled with dead rows and RSS rose until a mark-compact. pool.query hands the
// client pg's callback form; the same rows then die young. Same SQL as the kysely query.
import type pg from "pg";
import type { PageRead } from "./sql-team-store.ts";

export function postgresPageRead(pool: pg.Pool): PageRead {
  return async ({ low, high, after, size }) => {
    const text = [
      "select city_key, city, nickname, version from teams",
      `where city_key ${after === undefined ? ">=" : ">"} $1`,
      high === undefined ? "" : "and city_key < $3",
      "order by city_key limit $2",
    ].join(" ");
    const values = high === undefined ? [after ?? low, size] : [after ?? low, size, high];
    return (await pool.query(text, values)).rows;
  };
}
