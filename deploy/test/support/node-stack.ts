// The real Teams server and Node gateway on loopback: a gRPC-Web endpoint for deploy's
// checks where no Docker engine runs. Both are imported at run time, because they are
// other workspaces with their own tsconfig.
import { pathToFileURL } from "node:url";
import { repoPath } from "../../src/stack-files.ts";

export interface RunningServer {
  port: number;
  forceShutdown(): void;
}

export interface Gateway {
  port: number;
  url: string;
  close(): Promise<void>;
}

async function importWorkspace<T>(relative: string): Promise<T> {
  return (await import(pathToFileURL(repoPath(relative)).href)) as T;
}

/** The Teams server on a free loopback port, logging nothing. */
export async function startTeamsServer(): Promise<RunningServer> {
  const { startServer } = await importWorkspace<{
    startServer(options: object): Promise<RunningServer>;
  }>("server/src/index.ts");
  return startServer({ port: 0, host: "127.0.0.1", logLevel: "silent" });
}

/** The Node gateway on a free loopback port in front of `upstream`, logging nothing. */
export async function startNodeGateway(options: {
  upstream: string;
  webRoot?: string;
}): Promise<Gateway> {
  const { startGateway } = await importWorkspace<{
    startGateway(options: object): Promise<Gateway>;
  }>("gateway/src/index.ts");
  return startGateway({ port: 0, host: "127.0.0.1", logLevel: "silent", ...options });
}
