// Runs in its own process (see autocannon-run.ts): autocannon against one HTTP/1.1 URL for a
// fixed time. autocannon's own histogram has 1 ms resolution, too coarse on loopback, so this
// records each response's time from its 'response' event and prints one JSON LoadResult.
import { createRequire } from "node:module";
import { percentile } from "../stats.ts";
import type { LoadResult } from "./load-result.ts";

/** What the driver passes as the single argv argument (JSON). */
export interface AutocannonJob {
  url: string;
  headers: Record<string, string>;
  /** The request body, base64 (gRPC-Web frames are binary). */
  bodyBase64: string;
  concurrency: number;
  seconds: number;
}

interface AutocannonResult {
  "2xx": number;
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
}
interface AutocannonInstance {
  on(
    event: "response",
    listener: (client: unknown, status: number, bytes: number, ms: number) => void,
  ): void;
}
type Autocannon = (
  options: Record<string, unknown>,
  done: (err: Error | null, result: AutocannonResult) => void,
) => AutocannonInstance;

const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;
const job = JSON.parse(process.argv[2] ?? "{}") as AutocannonJob;
const latenciesMs: number[] = [];
const cpuAtStart = process.cpuUsage();
const startedAt = process.hrtime.bigint();

const instance = autocannon(
  {
    url: job.url,
    method: "POST",
    headers: job.headers,
    body: Buffer.from(job.bodyBase64, "base64"),
    connections: job.concurrency,
    duration: job.seconds,
    pipelining: 1,
  },
  (err, result) => {
    if (err) {
      process.stderr.write(`autocannon: ${err.message}\n`);
      process.exit(1);
    }
    const out: LoadResult = {
      requestsPerSecond: result["2xx"] / result.duration,
      p50Ms: percentile(latenciesMs, 50),
      p99Ms: percentile(latenciesMs, 99),
      ok: result["2xx"],
      errors: result.non2xx + result.errors + result.timeouts,
      seconds: result.duration,
      loadgenCores: loadgenCores(),
    };
    process.stdout.write(`${JSON.stringify(out)}\n`);
  },
);
instance.on("response", (_client, status, _bytes, ms) => {
  if (status >= 200 && status < 300) latenciesMs.push(ms);
});

/** CPU this process used per second of wall time: near 1 means autocannon itself was the limit. */
function loadgenCores(): number {
  const used = process.cpuUsage(cpuAtStart);
  const wallUs = Number(process.hrtime.bigint() - startedAt) / 1000;
  return (used.user + used.system) / wallUs;
}
