// How to start each system under test, each in its own process(es).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { python, requirePythonModule } from "@teams/tools/system-packages";
import type { Protocol } from "./load/protocols.ts";
import { benchFile, benchRoot, repoRoot } from "./paths.ts";
import { type Listener, startListener } from "./spawn-listener.ts";

/** The server's own ten teams: every peer serves exactly these. */
export const tenTeamsFile: string = join(repoRoot, "server", "data", "teams.json");

/** A city of tenTeamsFile, asked in every unary call. */
export const probeCity: string = (
  JSON.parse(readFileSync(tenTeamsFile, "utf8")) as { city: string }[]
)[0]?.city as string;

/** A started system: the process the load talks to first, then any behind it. */
export interface RunningSystem {
  protocol: Protocol;
  front: Listener;
  /** Every process whose CPU counts: front first. */
  processes: Listener[];
}

/** Starts a bench target (src/targets/<file>) under Node with tsx. */
export function startNodeTarget(
  file: string,
  env: Record<string, string> = {},
  startTimeoutMs?: number,
): Promise<Listener> {
  return startListener({
    name: file,
    command: process.execPath,
    args: ["--import", "tsx", benchFile(`targets/${file}`)],
    env,
    cwd: benchRoot,
    startTimeoutMs,
  });
}

/** Our server with a teams file (the default ten when omitted). */
export function startOurServer(teamsFile?: string): Promise<Listener> {
  return startNodeTarget("our-server.ts", teamsFile ? { TEAMS_FILE: teamsFile } : {}, 60_000);
}

/** Our gateway in front of a server on `upstreamPort`. */
export function startOurGateway(upstreamPort: number): Promise<Listener> {
  return startNodeTarget("our-gateway.ts", { UPSTREAM: `127.0.0.1:${upstreamPort}` });
}

/** The tutorial-style Python grpcio server (Debian's python3, which has grpcio). */
export function startPythonServer(): Promise<Listener> {
  requirePythonModule("grpc");
  requirePythonModule("grpc_tools");
  return startListener({
    name: "python-tutorial-server.py",
    command: python,
    args: [benchFile("targets/python-tutorial-server.py")],
    env: { TEAMS_FILE: tenTeamsFile, PROTO_DIR: join(repoRoot, "proto") },
  });
}
