// Our server (@teams/server) in a process of its own. Env: TEAMS_FILE (optional; the server's
// default ten teams otherwise).
import { announceListening } from "./announce.ts";

/** The documented interface of @teams/server, declared here so this workspace's type check
 * does not compile the server's sources under its own settings. */
interface ServerModule {
  startServer(options: {
    port: number;
    host: string;
    teams?: string;
    logLevel: "silent";
  }): Promise<{ port: number; shutdown(): Promise<void> }>;
}

// A variable specifier keeps tsc from following the import into server/.
const specifier = "@teams/server";
const { startServer } = (await import(specifier)) as ServerModule;
const server = await startServer({
  port: 0,
  host: "127.0.0.1",
  teams: process.env.TEAMS_FILE || undefined,
  logLevel: "silent",
});
announceListening(server.port, () => server.shutdown());
