// Our gateway (@teams/gateway) in a process of its own. Env: UPSTREAM ("127.0.0.1:P"),
// BENCH_OTLP_ENDPOINT (optional: a span per call exported there, as OTEL_EXPORTER_OTLP_ENDPOINT
// would; untraced otherwise).
import { loadGatewayTracing, startGateway } from "@teams/gateway";
import { announceListening, requiredEnv } from "./announce.ts";

const upstream = requiredEnv("UPSTREAM");
const gateway = await startGateway({
  port: 0,
  host: "127.0.0.1",
  upstream,
  tracing: await loadGatewayTracing(upstream, {
    OTEL_EXPORTER_OTLP_ENDPOINT: process.env.BENCH_OTLP_ENDPOINT,
  }),
  // Like the server (and every peer): no per-call access log line in the measured path.
  logLevel: "silent",
});
announceListening(gateway.port, () => gateway.close());
