// Our gateway (@teams/gateway) in a process of its own. Env: UPSTREAM ("127.0.0.1:P").
import { announceListening, requiredEnv } from "./announce.ts";

/** The documented interface of @teams/gateway (declared here for the same reason as in
 * our-server.ts). */
interface GatewayModule {
  startGateway(options: {
    port: number;
    host: string;
    upstream: string;
    logLevel: "silent";
  }): Promise<{ port: number; close(): Promise<void> }>;
}

const specifier = "@teams/gateway";
const { startGateway } = (await import(specifier)) as GatewayModule;
const gateway = await startGateway({
  port: 0,
  host: "127.0.0.1",
  upstream: requiredEnv("UPSTREAM"),
  // Like the server (and every peer): no per-call access log line in the measured path.
  logLevel: "silent",
});
announceListening(gateway.port, () => gateway.close());
