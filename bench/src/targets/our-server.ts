// Our server (@teams/server) in a process of its own. Env: TEAMS_FILE (optional; the server's
// default ten teams otherwise), DATA_DIR or DATABASE_URL (optional: serve an existing store;
// a temporary SQLite store otherwise).
import { startServer } from "@teams/server";
import { announceListening } from "./announce.ts";

const dataDir = process.env.DATA_DIR || undefined;
const databaseUrl = process.env.DATABASE_URL || undefined;
const server = await startServer({
  port: 0,
  host: "127.0.0.1",
  teams: process.env.TEAMS_FILE || undefined,
  storage: dataDir || databaseUrl ? { dataDir, databaseUrl } : undefined,
  logLevel: "silent",
});
announceListening(server.port, () => server.shutdown());
