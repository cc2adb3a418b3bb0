// The PostgreSQL connection pool's use, read from pg's Pool at each scrape: connections
// open and idle, queries waiting for one, and the most it opens. Waiting above 0 means
// calls queue for a connection (raise the pool size or find the slow query). SQLite has no
// pool: one connection per process, so a SQLite server has none of these series.
import { Gauge, type Registry } from "prom-client";

/** What the gauges read from a `pg.Pool`. */
export type PoolUse = {
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
  readonly options: { readonly max?: number };
};

export function registerPoolGauges(registry: Registry, pool: PoolUse): void {
  const gauge = (name: string, help: string, read: () => number | undefined) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const value = read();
        if (value !== undefined) this.set(value);
      },
    });
  gauge(
    "teams_store_pool_connections",
    "PostgreSQL connections open in the pool, idle or in use.",
    () => pool.totalCount,
  );
  gauge(
    "teams_store_pool_idle_connections",
    "PostgreSQL connections open in the pool and idle.",
    () => pool.idleCount,
  );
  gauge(
    "teams_store_pool_waiting_queries",
    "Store operations waiting for a PostgreSQL connection because every one is in use.",
    () => pool.waitingCount,
  );
  gauge(
    "teams_store_pool_max_connections",
    "The most PostgreSQL connections the pool opens (its size).",
    () => pool.options.max,
  );
}
