import {
  DEFAULT_TEAMS_FILE,
  loadTeamsFile,
  type RunningServer,
  startServer,
} from "../../src/index";
import type { WatchSettings } from "../../src/watch/watch-settings";
import { MemoryTeamStore } from "./memory-team-store";
import { recordingLogger } from "./recording-logger";
import { stubAuthorizer } from "./stub-authorizer";

/** A real server on a loopback port over an in-memory store of the tutorial's ten teams. */
export async function startTestServer(
  watch: Partial<WatchSettings> = {},
  store = new MemoryTeamStore(loadTeamsFile(DEFAULT_TEAMS_FILE)),
): Promise<{
  server: RunningServer;
  store: MemoryTeamStore;
  logs: ReturnType<typeof recordingLogger>;
}> {
  const logs = recordingLogger();
  const server = await startServer({
    port: 0,
    host: "127.0.0.1",
    logger: logs.logger,
    store,
    authorizer: stubAuthorizer,
    // Local writes wake the feed; a long poll proves they do.
    watch: { pollMs: 60_000, ...watch },
  });
  return { server, store, logs };
}
