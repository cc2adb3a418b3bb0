// Native gRPC load with h2load (C, one thread): concurrency N = N HTTP/2 connections with one
// stream each, the same shape as N HTTP/1.1 connections from autocannon.

import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { requireCommand } from "@teams/tools/system-packages";
import { percentile } from "../stats.ts";
import { parseH2loadLog, parseH2loadSummary } from "./h2load-output.ts";
import type { LoadResult } from "./load-result.ts";

const run = promisify(execFile);

/** One h2load run. */
export interface H2loadOptions {
  url: string;
  /** The request body: a 5-byte-prefixed gRPC message. */
  body: Uint8Array;
  concurrency: number;
  seconds: number;
  headers?: string[];
}

/** The headers a gRPC server needs to accept a call. */
export const grpcHeaders: readonly string[] = ["content-type: application/grpc", "te: trailers"];

/** Runs h2load in its own process for a fixed time and reduces its output to a LoadResult. */
export async function runH2load(options: H2loadOptions): Promise<LoadResult> {
  const dir = await mkdtemp(join(tmpdir(), "bench-h2load-"));
  try {
    const bodyFile = join(dir, "body.bin");
    const logFile = join(dir, "requests.log");
    await writeFile(bodyFile, options.body);
    const headers = (options.headers ?? grpcHeaders).flatMap((h) => ["-H", h]);
    const args = [
      ...["-t", "1", "-c", String(options.concurrency), "-m", "1"],
      ...["-D", `${Math.round(options.seconds * 1000)}ms`, "-d", bodyFile, `--log-file=${logFile}`],
      ...headers,
      options.url,
    ];
    const { stdout } = await run(requireCommand("h2load"), args, { maxBuffer: 16 * 1024 * 1024 });
    const summary = parseH2loadSummary(stdout);
    const latenciesUs = parseH2loadLog(await readFile(logFile, "utf8"));
    return {
      requestsPerSecond: summary.succeeded / summary.seconds,
      p50Ms: percentile(latenciesUs, 50) / 1000,
      p99Ms: percentile(latenciesUs, 99) / 1000,
      ok: summary.succeeded,
      // Calls still in flight when the window closes are neither counted nor failed.
      errors: summary.failed + summary.errored + summary.timeout,
      seconds: summary.seconds,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
