// Our server (@teams/server) in a process of its own. Env: TEAMS_FILE (optional; the server's
// default ten teams otherwise).
import { startServer } from "@teams/server";
import { announceListening } from "./announce.ts";

const server = await startServer({
  port: 0,
  host: "127.0.0.1",
  teams: process.env.TEAMS_FILE || undefined,
  logLevel: "silent",
});
announceListening(server.port, () => server.shutdown());
