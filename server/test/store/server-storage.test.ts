// The server over a persistent store: seeded with the ten teams when new, TEAMS_FILE
// imported into what is there, everything still there after a restart.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { startServer } from "../../src/index.ts";
import { getTeam, listCities, teamsClient } from "../support/teams-client.ts";
import { tempDir, writeTeamsFile } from "../support/teams-files.ts";

describe("the server on a store in DATA_DIR", () => {
  const temp = tempDir();
  after(() => temp.cleanup());
  const storage = { dataDir: join(temp.dir, "data") };
  const serve = async (teams?: string) => {
    const server = await startServer({
      port: 0,
      host: "127.0.0.1",
      logLevel: "silent",
      storage,
      teams,
    });
    return { server, client: teamsClient(server.port) };
  };

  it("seeds a new store with the ten teams, then imports a teams file into it at the next start", async () => {
    const first = await serve();
    try {
      assert.equal((await listCities(first.client, "")).length, 10);
    } finally {
      first.client.close();
      await first.server.shutdown();
    }
    const file = writeTeamsFile(temp.dir, "more.json", [
      { city: "Chicago", nickname: "Bears" },
      { city: "Tulsa", nickname: "Oilers" },
    ]);
    const second = await serve(file);
    try {
      assert.equal((await getTeam(second.client, "chicago")).nickname, "Bears");
      assert.equal((await getTeam(second.client, "Tulsa")).nickname, "Oilers");
      assert.equal((await listCities(second.client, "")).length, 11);
    } finally {
      second.client.close();
      await second.server.shutdown();
    }
  });
});
