// The real Teams server (@teams/server) behind a gateway, on free loopback ports.
import { startServer } from "@teams/server";
import { type Gateway, type GatewayOptions, startGateway } from "../../src/index.ts";

export interface TeamsStack {
  readonly gateway: Gateway;
  close(): Promise<void>;
}

export async function startTeamsStack(options: Partial<GatewayOptions> = {}): Promise<TeamsStack> {
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
