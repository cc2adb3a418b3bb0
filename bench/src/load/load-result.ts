// The one shape every load tool's run is reduced to, so scenarios and reports don't care
// whether h2load or autocannon produced it.

/** One timed run of one load tool against one system at one concurrency. */
export interface LoadResult {
  requestsPerSecond: number;
  /** Latencies of successful calls, in milliseconds. */
  p50Ms: number;
  p99Ms: number;
  /** Successful calls (2xx) in the measured window. */
  ok: number;
  /** Calls that failed at the HTTP or socket level. */
  errors: number;
  seconds: number;
  /** CPU the load tool used, in cores, where it can tell (autocannon reports its own). */
  loadgenCores?: number;
}
