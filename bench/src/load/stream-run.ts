// Runs stream-client.ts in a process of its own: one ListTeams, counted, never buffered.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { benchFile } from "../paths.ts";

const run = promisify(execFile);

/** What the client saw: messages counted, wall time, the final grpc-status, stray bytes. */
export interface StreamOutcome {
  messages: number;
  seconds: number;
  grpcStatus: string;
  leftover: number;
}

export async function runStreamClient(
  mode: "grpc" | "grpc-web",
  port: number,
  prefix = "",
  limit = 0,
  stallMs = 0,
): Promise<StreamOutcome> {
  const { stdout } = await run(
    process.execPath,
    [
      "--import",
      "tsx",
      benchFile("load/stream-client.ts"),
      mode,
      String(port),
      prefix,
      String(limit),
      String(stallMs),
    ],
    { timeout: 300_000 },
  );
  return JSON.parse(stdout.trim().split("\n").pop() ?? "{}") as StreamOutcome;
}
