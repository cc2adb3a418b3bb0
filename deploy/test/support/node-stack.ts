// The real Teams server and Node gateway on loopback: a gRPC-Web endpoint for deploy's
// checks where no Docker engine runs.
import { type Gateway, startGateway } from "@teams/gateway";
import { type RunningServer, startServer } from "@teams/server";

export type { Gateway, RunningServer };

/** The Teams server on a free loopback port, logging nothing. */
export function startTeamsServer(): Promise<RunningServer> {
  return startServer({ port: 0, host: "127.0.0.1", logLevel: "silent" });
}

/** The Node gateway on a free loopback port in front of `upstream`, logging nothing. */
export function startNodeGateway(options: {
  upstream: string;
  webRoot?: string;
}): Promise<Gateway> {
  return startGateway({ port: 0, host: "127.0.0.1", logLevel: "silent", ...options });
}
