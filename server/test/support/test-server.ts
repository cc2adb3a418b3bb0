import { after, before } from "node:test";
import type { TeamsClient } from "../../src/gen/teams.ts";
import {
  type AuthConfig,
  defaultTeamsFile,
  loadTeamsFile,
  type RunningServer,
  startServer,
} from "../../src/index.ts";
import type { ChangeSignal } from "../../src/watch/postgres-change-signal.ts";
import type { WatchSettings } from "../../src/watch/watch-settings.ts";
import { MemoryTeamStore } from "./memory-team-store.ts";
import { recordingLogger } from "./recording-logger.ts";
import { stubAuthorizer } from "./stub-authorizer.ts";
import { teamsClient } from "./teams-client.ts";
import { tempDir } from "./teams-files.ts";

type TestServerOptions = {
  /** Serve from a real SQLite store in a temporary DATA_DIR instead of the test double. */
  sqlite?: boolean;
  /** Serve from this PostgreSQL database instead (the server opens it, as with DATABASE_URL). */
  databaseUrl?: string;
  watch?: Partial<WatchSettings>;
  drainTimeoutMs?: number;
  /** Verify real tokens with this configuration instead of the stub authorizer. */
  auth?: AuthConfig;
  changeSignal?: ChangeSignal;
};

/**
 * A real server on a loopback port over the tutorial's ten teams: in the store test double
 * (returned as `store`, for its knobs), or with `sqlite` in a real SQLite store.
 */
export async function startTestServer(
  { watch = {}, drainTimeoutMs, auth, changeSignal, sqlite, databaseUrl }: TestServerOptions = {},
  store = new MemoryTeamStore(loadTeamsFile(defaultTeamsFile)),
): Promise<{
  server: RunningServer;
  store: MemoryTeamStore;
  logs: ReturnType<typeof recordingLogger>;
}> {
  const logs = recordingLogger();
  const dataDir = sqlite ? tempDir() : undefined;
  const server = await startServer({
    // No `store` with `storage`: the server opens SQLite there, seeded with the ten teams.
    ...(dataDir || databaseUrl
      ? { storage: databaseUrl ? { databaseUrl } : { dataDir: dataDir?.dir } }
      : { store }),
    port: 0,
    host: "127.0.0.1",
    logger: logs.logger,
    drainTimeoutMs,
    auth,
    changeSignal,
    authorizer: auth ? undefined : stubAuthorizer,
    // Local writes wake the feed; a long poll proves they do.
    watch: { pollMs: 60_000, ...watch },
  });
  if (dataDir) {
    const shutdown = server.shutdown.bind(server);
    server.shutdown = () => shutdown().finally(dataDir.cleanup);
  }
  return { server, store, logs };
}

type TestServer = Awaited<ReturnType<typeof startTestServer>> & { client: TeamsClient };

/**
 * Registers before/after hooks that start a test server and a client for the
 * file's tests; the returned object is filled in once `before` has run.
 */
export function useTestServer(options: TestServerOptions = {}): TestServer {
  const running = {} as TestServer;
  before(async () => {
    Object.assign(running, await startTestServer(options));
    running.client = teamsClient(running.server.port);
  });
  after(async () => {
    running.client.close();
    await running.server.shutdown();
  });
  return running;
}
