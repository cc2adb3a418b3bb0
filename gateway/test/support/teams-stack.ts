// The real Teams server (@teams/server) behind a gateway, on free loopback ports.
import { type Gateway, type GatewayOptions, startGateway } from "../../src/index.ts";

// The server module's entry, as its README documents it. It is loaded by name at
// run time: a static import would make this workspace's tsc check the server's
// sources (and its generated code) under the gateway's stricter flags.
type StartServer = (options: {
  port: number;
  host: string;
  logLevel: "silent";
}) => Promise<{ port: number; shutdown(): Promise<void>; forceShutdown(): void }>;
const serverModule = "@teams/server";

export interface TeamsStack {
  readonly gateway: Gateway;
  close(): Promise<void>;
}

export async function startTeamsStack(options: Partial<GatewayOptions> = {}): Promise<TeamsStack> {
  const { startServer } = (await import(serverModule)) as { startServer: StartServer };
  const server = await startServer({ port: 0, host: "127.0.0.1", logLevel: "silent" });
  const gateway = await startGateway({
    port: 0,
    host: "127.0.0.1",
    upstream: `127.0.0.1:${server.port}`,
    logLevel: "silent",
    ...options,
  });
  return {
    gateway,
    async close() {
      await gateway.close();
      server.forceShutdown();
    },
  };
}
