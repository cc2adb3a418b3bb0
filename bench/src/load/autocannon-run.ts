// HTTP/1.1 load (gRPC-Web, JSON) with autocannon, in a child process of its own so its CPU is
// never charged to the system under test and never competes inside the driver's event loop.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { benchFile } from "../paths.ts";
import type { AutocannonJob } from "./autocannon-worker.ts";
import type { LoadResult } from "./load-result.ts";

const run = promisify(execFile);

/** One autocannon run: POST `body` to `url` with `concurrency` connections for `seconds`. */
export interface AutocannonOptions {
  url: string;
  headers: Record<string, string>;
  body: Uint8Array;
  concurrency: number;
  seconds: number;
}

export async function runAutocannon(options: AutocannonOptions): Promise<LoadResult> {
  const job: AutocannonJob = {
    url: options.url,
    headers: options.headers,
    bodyBase64: Buffer.from(options.body).toString("base64"),
    concurrency: options.concurrency,
    seconds: options.seconds,
  };
  const { stdout } = await run(
    process.execPath,
    ["--import", "tsx", benchFile("load/autocannon-worker.ts"), JSON.stringify(job)],
    { maxBuffer: 1024 * 1024, timeout: (options.seconds + 30) * 1000 },
  );
  const last = stdout.trim().split("\n").pop() ?? "";
  return JSON.parse(last) as LoadResult;
}
