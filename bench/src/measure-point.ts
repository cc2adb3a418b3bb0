// One measured point: load one running system at one concurrency for a fixed time, and charge
// the CPU and memory of its own processes (never the load generator's) to that load.
import { runAutocannon } from "./load/autocannon-run.ts";
import { runH2load } from "./load/h2load-run.ts";
import type { LoadResult } from "./load/load-result.ts";
import { type Protocol, protocolHeaders } from "./load/protocols.ts";
import { markUsage, usageSince } from "./proc-usage.ts";
import type { Sample } from "./results.ts";

const mb = 1_000_000;

/** What to send: a path and exact body over a protocol to a port. */
export interface LoadTarget {
  protocol: Protocol;
  port: number;
  path: string;
  body: Uint8Array;
}

/** Native gRPC goes through h2load; everything on HTTP/1.1 through autocannon. */
export function runLoad(target: LoadTarget, concurrency: number, seconds: number) {
  const url = `http://127.0.0.1:${target.port}${target.path}`;
  if (target.protocol === "grpc") {
    return runH2load({ url, body: target.body, concurrency, seconds });
  }
  const headers = protocolHeaders[target.protocol];
  return runAutocannon({ url, headers, body: target.body, concurrency, seconds });
}

/** Runs the load and reads /proc for `pids` (front process first) around it. */
export async function measurePoint(
  target: LoadTarget,
  pids: readonly number[],
  concurrency: number,
  seconds: number,
): Promise<Sample> {
  const marks = markUsage(pids);
  const load: LoadResult = await runLoad(target, concurrency, seconds);
  const usage = usageSince(marks);
  const cpu = usage.reduce((sum, u) => sum + u.cpu, 0);
  if (load.ok === 0) throw new Error(`no successful call in ${seconds}s (${load.errors} errors)`);
  return {
    rps: load.requestsPerSecond,
    p50Ms: load.p50Ms,
    p99Ms: load.p99Ms,
    cpuPer10k: (cpu / load.ok) * 10_000,
    cpuPer10kFront: ((usage[0]?.cpu ?? Number.NaN) / load.ok) * 10_000,
    peakRssMb: (usage[0]?.peakRss ?? Number.NaN) / mb,
    errors: load.errors,
    loadgenCores: load.loadgenCores,
  };
}
