// The read cache in front of the SQL stores (src/store/cached-team-store.ts), against the
// store test double playing the database that another replica also writes to.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CachedTeamStore } from "../../src/store/cached-team-store.ts";
import type { StoredTeam, TeamChange } from "../../src/store/team-store.ts";
import { MemoryTeamStore } from "../support/memory-team-store.ts";

/** The database: counts reads, can hold a read after it has read, and says when the cache followed the change log. */
class Database extends MemoryTeamStore {
  reads = 0;
  /** When set, a read waits for it after reading (a slow query in flight). */
  held: Promise<void> | undefined;
  #followed: (() => void)[] = [];

  override async get(city: string): Promise<StoredTeam | undefined> {
    this.reads++;
    const team = await super.get(city);
    await this.held;
    return team;
  }

  override async changesSince(version: number, limit: number): Promise<TeamChange[]> {
    const changes = await super.changesSince(version, limit);
    const waiting = this.#followed.splice(0);
    // Once the cache has applied these changes (it does so before the next macrotask).
    setImmediate(() => {
      for (const resolve of waiting) resolve();
    });
    return changes;
  }

  /** Resolves once the cache has next followed the change log. */
  followed(): Promise<void> {
    return new Promise((resolve) => this.#followed.push(resolve));
  }

  async trimHistory(): Promise<number> {
    return 0;
  }
}

async function cacheOver(database: Database): Promise<CachedTeamStore> {
  return CachedTeamStore.over(database, { refreshMs: 1 });
}

describe("CachedTeamStore", () => {
  it("does not keep a read that raced another replica's change of the same team", async () => {
    const database = new Database([{ city: "Boston", nickname: "Revolutionaries" }]);
    const cache = await cacheOver(database);
    try {
      let release = () => {};
      database.held = new Promise((resolve) => {
        release = resolve;
      });
      const inFlight = cache.get("Boston"); // has read "Revolutionaries", not answered yet
      const followed = database.followed();
      await database.put({ city: "Boston", nickname: "Bruins" }); // another replica
      await followed;
      release();
      database.held = undefined;
      assert.equal((await inFlight)?.nickname, "Revolutionaries");
      assert.equal((await cache.get("Boston"))?.nickname, "Bruins");
    } finally {
      await cache.close();
    }
  });

  it("keeps a team read after the change that wrote it when the change log catches up", async () => {
    const database = new Database([{ city: "Boston", nickname: "Revolutionaries" }]);
    const cache = await cacheOver(database);
    try {
      const followed = database.followed();
      await database.put({ city: "Boston", nickname: "Bruins" }); // another replica
      assert.equal((await cache.get("Boston"))?.nickname, "Bruins");
      await followed;
      const reads = database.reads;
      assert.equal((await cache.get("Boston"))?.nickname, "Bruins");
      assert.equal(database.reads, reads, "answered from memory");
    } finally {
      await cache.close();
    }
  });
});
