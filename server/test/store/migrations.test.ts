// Replicas starting together migrate and seed a new database exactly once.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import Database from "better-sqlite3";
import pg from "pg";
import { openTeamStore, sqliteFile } from "../../src/store/open-team-store.ts";
import { usePostgresCluster } from "../support/postgres-cluster.ts";
import { tempDir } from "../support/teams-files.ts";
import { startStoreChild } from "./support/store-child.ts";

describe("migrations", () => {
  const cluster = usePostgresCluster();
  const temp = tempDir();
  after(() => temp.cleanup());
  const root = temp.dir;

  it("two processes opening one new SQLite file both start; it is migrated and seeded once", async () => {
    const dataDir = join(root, "shared");
    const children = await Promise.all([0, 1].map(() => startStoreChild({ dataDir })));
    try {
      const answers = await Promise.all(children.map((child) => child.ask("open")));
      assert.deepEqual(answers, ["opened", "opened"]);
      const file = new Database(join(dataDir, sqliteFile), { readonly: true });
      try {
        const migrations = file.prepare("select name from kysely_migration").all();
        assert.deepEqual(migrations, [{ name: "0001_teams_changes_state" }]);
        assert.deepEqual(file.prepare("select count(*) as n from changes").get(), { n: 1 });
        const { journal_mode } = file.prepare("pragma journal_mode").get() as {
          journal_mode: string;
        };
        assert.equal(journal_mode, "wal");
      } finally {
        file.close();
      }
    } finally {
      await Promise.all(children.map((child) => child.kill()));
    }
  });

  it("three replicas migrating one new PostgreSQL database at once run each migration once", async () => {
    const databaseUrl = await cluster().createDatabase();
    const seed = [{ city: "Chicago", nickname: "Jackals" }];
    const stores = await Promise.all([0, 1, 2].map(() => openTeamStore({ databaseUrl, seed })));
    try {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        const { rows } = await client.query("select name from kysely_migration");
        assert.deepEqual(rows, [{ name: "0001_teams_changes_state" }]);
        const changes = await client.query("select count(*)::int as n from changes");
        assert.deepEqual(changes.rows, [{ n: 1 }]);
      } finally {
        await client.end();
      }
      for (const store of stores) assert.equal((await store.get("chicago"))?.nickname, "Jackals");
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });
});
