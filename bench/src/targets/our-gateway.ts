// Our gateway (@teams/gateway) in a process of its own. Env: UPSTREAM ("127.0.0.1:P").
import { startGateway } from "@teams/gateway";
import { announceListening, requiredEnv } from "./announce.ts";

const gateway = await startGateway({
  port: 0,
  host: "127.0.0.1",
  upstream: requiredEnv("UPSTREAM"),
  // Like the server (and every peer): no per-call access log line in the measured path.
  logLevel: "silent",
});
announceListening(gateway.port, () => gateway.close());
