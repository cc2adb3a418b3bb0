// Our server (@teams/server) in a process of its own. Env: TEAMS_FILE (optional; the server's
// default ten teams otherwise), DATA_DIR or DATABASE_URL (optional: serve an existing store;
// a temporary SQLite store otherwise), KEY_DIR (optional: where the development key that signs
// the bench's write tokens lives; never the repository's data/), BENCH_OTLP_ENDPOINT (optional:
// a span per call exported there, as OTEL_EXPORTER_OTLP_ENDPOINT would; untraced otherwise).
import { loadServerTracing, readAuthConfig, startServer } from "@teams/server";
import { announceListening } from "./announce.ts";

const dataDir = process.env.DATA_DIR || undefined;
const databaseUrl = process.env.DATABASE_URL || undefined;
const keyDir = process.env.KEY_DIR || undefined;
const server = await startServer({
  port: 0,
  host: "127.0.0.1",
  teams: process.env.TEAMS_FILE || undefined,
  storage: dataDir || databaseUrl ? { dataDir, databaseUrl } : undefined,
  auth: keyDir ? readAuthConfig({ DATA_DIR: keyDir }) : undefined,
  logLevel: "silent",
  tracing: await loadServerTracing({
    OTEL_EXPORTER_OTLP_ENDPOINT: process.env.BENCH_OTLP_ENDPOINT,
  }),
});
announceListening(server.port, () => server.shutdown());
