// A write that answered OK is there after the process that made it is SIGKILLed the
// instant after, on both stores.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { openTeamStore, type StoreConfig } from "../../src/store/open-team-store.ts";
import { usePostgresCluster } from "../support/postgres-cluster.ts";
import { tempDir } from "../support/teams-files.ts";
import { startStoreChild } from "./support/store-child.ts";

async function writeThenKill(config: StoreConfig): Promise<number> {
  const child = await startStoreChild(config);
  try {
    assert.equal(await child.ask("open"), "opened");
    const answer = await child.ask("put Durham Bulls");
    child.process.kill("SIGKILL");
    const version = /^ok (\d+)$/.exec(answer)?.[1];
    assert.ok(version, `the write answered ${answer}`);
    return Number(version);
  } finally {
    await child.kill();
  }
}

describe("durability: SIGKILL right after a write", () => {
  const cluster = usePostgresCluster();
  const temp = tempDir();
  after(() => temp.cleanup());
  const root = temp.dir;

  for (const [name, config] of [
    ["SQLite", async () => ({ dataDir: join(root, "sqlite") })],
    ["PostgreSQL", async () => ({ databaseUrl: await cluster().createDatabase() })],
  ] as const) {
    it(`keeps the write on ${name}`, async () => {
      const storeConfig = await config();
      const version = await writeThenKill(storeConfig);
      const store = await openTeamStore(storeConfig);
      try {
        assert.deepEqual(await store.get("durham"), { city: "Durham", nickname: "Bulls", version });
        assert.equal((await store.changesSince(version - 1, 10))[0]?.version, version);
      } finally {
        await store.close();
      }
    });
  }
});
