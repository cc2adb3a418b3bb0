// Our gateway configured from the environment as `npm run gateway` is (TLS_CERT/TLS_KEY,
// METRICS_PORT, UPSTREAM_STREAM_WINDOW_BYTES …), on a free loopback port, silent.
import { gatewayOptionsFromEnv, startGateway } from "@teams/gateway";
import { announceListening } from "./announce.ts";

const gateway = await startGateway({
  ...gatewayOptionsFromEnv(),
  port: 0,
  host: "127.0.0.1",
  logLevel: "silent",
});
announceListening(gateway.port, () => gateway.close());
